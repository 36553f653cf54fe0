/**
 * Proofsheet's Electron fuses: feature switches compiled into the Electron binary that we flip
 * once, at package time, before the binary is signed (the signature then keeps them flipped).
 * This is the one place they are decided; scripts/flip-fuses.ts applies them and reads them back.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { flipFuses, FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses'

/**
 * `packaged`: the app shipped as resources/app.asar. `development`: the stock binary in
 * node_modules/electron/dist, which `npm start` points at the project folder, not an asar.
 */
export type FuseTarget = 'packaged' | 'development'

/** Every fuse of the wire, with its value and the reason; a new Electron fuse fails the flip until it is decided here. */
export function fuseSettings(target: FuseTarget): Record<FuseV1Options, { on: boolean; why: string }> {
  const asar = target === 'packaged'
  return {
    [FuseV1Options.RunAsNode]: { on: false, why: 'ELECTRON_RUN_AS_NODE must not turn the app into a general Node runtime; we never fork' },
    [FuseV1Options.EnableCookieEncryption]: { on: true, why: 'cookies on disk encrypted with the OS key store, as Chrome does' },
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: { on: false, why: 'NODE_OPTIONS and NODE_EXTRA_CA_CERTS must not inject code or trust into the main process' },
    [FuseV1Options.EnableNodeCliInspectArguments]: { on: false, why: '--inspect and SIGUSR1 must not open a debugger on the main process' },
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: {
      on: asar,
      why: asar ? 'app.asar is checked against the hash embedded in the signed binary (macOS, Windows)' : 'no asar in development',
    },
    [FuseV1Options.OnlyLoadAppFromAsar]: {
      on: asar,
      why: asar ? 'only app.asar is loaded, never a loose app/ folder someone put beside it' : 'npm start loads the project folder',
    },
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: { on: false, why: 'we ship no V8 snapshot of our own' },
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: {
      on: true,
      why: 'still on: the window loads out/renderer/index.html from file://, whose module scripts need it (see SECURITY.md)',
    },
    [FuseV1Options.WasmTrapHandlers]: { on: true, why: 'Electron default; it guards WebAssembly memory access, nothing to switch off' },
  }
}

/** The settings as @electron/fuses takes them; strict, so a fuse we have not decided is an error. */
function fuseConfig(target: FuseTarget): FuseV1Config {
  const settings = fuseSettings(target)
  const config: Record<number, boolean> = {}
  for (const [index, { on }] of Object.entries(settings)) config[Number(index)] = on
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // An ad-hoc signed macOS binary stops launching once its bytes change; re-sign it ad hoc.
    resetAdHocDarwinSignature: process.platform === 'darwin',
    ...(config as Record<FuseV1Options, boolean>),
  }
}

export interface FuseReadBack {
  readonly name: string
  readonly wanted: boolean
  readonly found: 'on' | 'off' | 'removed' | 'inherit' | 'missing'
  readonly ok: boolean
}

/** Flips our fuses on the binary at `electronPath`, then reads every one back from the file. */
export async function applyFuses(electronPath: string, target: FuseTarget): Promise<FuseReadBack[]> {
  await flipFuses(electronPath, fuseConfig(target))
  return readBackFuses(electronPath, target)
}

export async function readBackFuses(electronPath: string, target: FuseTarget): Promise<FuseReadBack[]> {
  const wire = (await getCurrentFuseWire(electronPath)) as unknown as Record<number, FuseState | undefined>
  return Object.entries(fuseSettings(target)).map(([index, { on }]) => {
    const state = wire[Number(index)]
    const found =
      state === FuseState.ENABLE ? 'on' : state === FuseState.DISABLE ? 'off' : state === FuseState.REMOVED ? 'removed' : state === FuseState.INHERIT ? 'inherit' : 'missing'
    // A fuse Electron has removed does nothing either way.
    return { name: FuseV1Options[Number(index)] ?? `fuse ${index}`, wanted: on, found, ok: found === 'removed' || found === (on ? 'on' : 'off') }
  })
}

/** The binary in node_modules/electron/dist, or null when it was never downloaded. */
export function installedElectronBinary(projectRoot: string): string | null {
  let electronDir: string
  try {
    electronDir = dirname(createRequire(join(projectRoot, 'package.json')).resolve('electron/package.json'))
  } catch {
    return null
  }
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}
