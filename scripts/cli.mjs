// `npm run cli -- <command>`: the `proofsheet` command in a checkout. Runs the compiled command
// (out/cli/proofsheet.mjs), first rebuilding it when a source it was built from is newer, so a
// fresh clone needs no separate build step and an edit is never run stale.
import { buildCli, cliIsStale, CLI_OUT } from './cli-build.mjs'
import { enableCompileCache } from 'node:module'
import { pathToFileURL } from 'node:url'

if (cliIsStale()) await buildCli()
// V8's code cache on disk (os.tmpdir()): later runs skip most of parsing the bundle.
enableCompileCache()
const { main } = await import(pathToFileURL(CLI_OUT).href)
await main()
