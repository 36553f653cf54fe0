// `npm run cli -- <command>`: the `proofsheet` command in a checkout. Runs the compiled command
// (out/cli/proofsheet.mjs), first rebuilding it when a source it was built from is newer, so a
// fresh clone needs no separate build step and an edit is never run stale.
import { pathToFileURL } from 'node:url'
import { enableUserCompileCache } from '../bin/compile-cache.js'
import { buildCli, cliIsStale, CLI_OUT } from './cli-build.mjs'

if (cliIsStale()) await buildCli()
enableUserCompileCache()
const { main } = await import(pathToFileURL(CLI_OUT).href)
await main()
