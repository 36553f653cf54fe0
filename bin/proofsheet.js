#!/usr/bin/env node
// The installed `proofsheet` command: runs the CLI compiled by `npm run build` (scripts/cli-build.mjs).
import { existsSync } from 'node:fs'
import { enableUserCompileCache } from './compile-cache.js'
import { commandDoesImageWork, relaunchWithMallocTuning } from './malloc-tuning.js'

// The native modules (better-sqlite3 13) are built for Node 22; an older Node can crash loading them.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`error: proofsheet needs Node 22.12 or newer; this is Node ${process.versions.node}.\nfix: install Node 22.12 or newer (for example "nvm install 22"); in a proofsheet checkout, "npm run cli -- <command>" uses the project's own Node.\n`)
  process.exit(1)
}
// Before any work: on glibc Linux a command that handles images replaces this process once by
// itself with malloc tuned (bin/malloc-tuning.js).
relaunchWithMallocTuning(process, commandDoesImageWork)
const compiled = new URL('../out/cli/proofsheet.mjs', import.meta.url)
if (!existsSync(compiled)) {
  process.stderr.write('error: the proofsheet command is not built yet.\nfix: run "npm run build" in the proofsheet folder.\n')
  process.exit(1)
}
enableUserCompileCache()
const { main } = await import(compiled.href)
await main()
