#!/usr/bin/env node
// The installed `proofsheet` command: runs the CLI compiled by `npm run build` (scripts/cli-build.mjs).
import { existsSync } from 'node:fs'
import { enableUserCompileCache } from './compile-cache.js'

const compiled = new URL('../out/cli/proofsheet.mjs', import.meta.url)
if (!existsSync(compiled)) {
  process.stderr.write('error: the proofsheet command is not built yet.\nfix: run "npm run build" in the proofsheet folder.\n')
  process.exit(1)
}
enableUserCompileCache()
const { main } = await import(compiled.href)
await main()
