// electron-builder's afterPack hook: flips Proofsheet's fuses (scripts/fuses.ts decides them) on
// the packaged binary before anything signs it, then reads each one back; a fuse that reads back
// wrong fails the build. A build made with the stand-in for Electron (stand-in.mjs) has no fuse
// wire to flip: the hook says so in one line and leaves it.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { tsImport } from 'tsx/esm/api'
import { STAND_IN_MARKER } from './stand-in.mjs'

/** The file whose fuses to flip: the .app bundle on macOS (@electron/fuses finds the framework in it). */
export function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const name = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`)
  return join(appOutDir, packager.executableName)
}

/**
 * Flips and reads back the fuses of `binary`, or skips a stand-in build.
 * @returns {Promise<'skipped' | 'set'>}
 */
export async function fusePackagedApp({ appOutDir, binary, log = console.log }) {
  if (existsSync(join(appOutDir, STAND_IN_MARKER))) {
    log(`fuses: skipped: ${binary} is the stand-in for the Electron binary (package:check), it has no fuse wire`)
    return 'skipped'
  }
  const { applyFuses } = await tsImport('../fuses.ts', import.meta.url)
  const fuses = await applyFuses(binary, 'packaged')
  const wrong = fuses.filter((fuse) => !fuse.ok)
  if (wrong.length > 0) {
    const list = wrong.map((fuse) => `${fuse.name} wanted ${fuse.wanted ? 'on' : 'off'}, reads ${fuse.found}`).join('; ')
    throw new Error(`fuses: ${wrong.length} fuse(s) of ${binary} did not read back as set: ${list}`)
  }
  log(`fuses: ${fuses.length} fuses set for the packaged app and read back on ${binary}`)
  return 'set'
}

export default async function afterPack(context) {
  await fusePackagedApp({ appOutDir: context.appOutDir, binary: packagedBinary(context) })
}
