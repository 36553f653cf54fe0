#!/usr/bin/env node
// `npm run fuses -- [--packaged] [PATH]`: flips Proofsheet's fuses (scripts/fuses.ts) on an
// Electron binary and reads each one back from the file. PATH is the packaged app's executable
// (or its .app bundle); without it, the binary in node_modules/electron/dist. Run it after
// packaging and before signing. Exit codes: 0 flipped and verified, 1 a fuse reads back wrong,
// 2 no binary to flip.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyFuses, installedElectronBinary, type FuseTarget } from './fuses'

const args = process.argv.slice(2)
const target: FuseTarget = args.includes('--packaged') ? 'packaged' : 'development'
const given = args.find((arg) => !arg.startsWith('--'))
const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const binary = given ? resolve(given) : installedElectronBinary(projectRoot)

if (!binary || !existsSync(binary)) {
  console.error(
    given
      ? `flip-fuses: ${given} does not exist. Pass the packaged app's executable (or its .app bundle).`
      : 'flip-fuses: there is no Electron binary in node_modules/electron/dist (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?). Pass the packaged app\'s executable, or install without that variable.',
  )
  process.exit(2)
}

try {
  const fuses = await applyFuses(binary, target)
  for (const fuse of fuses) {
    console.log(`${fuse.ok ? 'ok  ' : 'FAIL'} ${fuse.name}: wanted ${fuse.wanted ? 'on' : 'off'}, reads ${fuse.found}`)
  }
  const wrong = fuses.filter((fuse) => !fuse.ok)
  if (wrong.length > 0) {
    console.error(`flip-fuses: ${wrong.length} fuse(s) of ${binary} did not read back as set.`)
    process.exit(1)
  }
  console.log(`flip-fuses: ${fuses.length} fuses set for ${target} on ${binary}`)
} catch (err) {
  console.error(`flip-fuses: could not flip the fuses of ${binary}: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
