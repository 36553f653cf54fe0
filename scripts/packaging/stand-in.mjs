// The stand-in for Electron's binary that `npm run package:check` builds with: Electron's download
// is not reachable on our machines, so electron-builder gets a folder (its `electronDist`) holding
// a placeholder executable that only says what it is, plus a marker file that travels into the
// packaged app, so the fuses hook (after-pack.mjs) knows there is no real binary to flip.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const STAND_IN_MARKER = 'STAND-IN-NOT-ELECTRON.txt'

/** Makes the stand-in distribution for Linux (the only platform package:check builds) in `dir`. */
export function makeElectronStandIn(dir) {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  const executable = join(dir, 'electron')
  writeFileSync(
    executable,
    '#!/bin/sh\necho "This is a stand-in for the Electron binary (npm run package:check), not an app." >&2\nexit 1\n',
  )
  chmodSync(executable, 0o755)
  writeFileSync(
    join(dir, STAND_IN_MARKER),
    'Built by npm run package:check with a stand-in for the Electron binary: this folder cannot run.\n',
  )
  // electron-builder moves Electron's licence beside the app; give it one to move.
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in: no Electron binary, no Electron licence text.\n')
  return dir
}
