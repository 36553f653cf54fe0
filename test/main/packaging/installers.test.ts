import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPackage } from '@electron/asar'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The installers' configuration checked the way `npm run package:check` does, without Electron's
// binary (its download is not reachable here): electron-builder packs the real app around a
// stand-in executable, and we read what it made. About 15 s: an electron-vite build when out/ is
// missing, the icons, one `--dir` build.
const ROOT = join(import.meta.dirname, '..', '..', '..')
const dirs: string[] = []
const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-installers-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

interface CheckResult {
  failures: string[]
  asarFiles: string[]
  unpacked: string[]
}
interface PackageCheck {
  buildWithStandIn(workDir: string, opts?: { log?: (line: string) => void }): Promise<string>
  checkPackagedApp(appDir: string): Promise<CheckResult>
  checkIconFiles(dir: string): string[]
}
interface AfterPack {
  fusePackagedApp(opts: { appOutDir: string; binary: string; log?: (line: string) => void }): Promise<'skipped' | 'set'>
}
interface Signing {
  signingPlan(env: Record<string, string | undefined>, platform: string): { signMac: boolean; notarize: boolean; signWindows: boolean; lines: string[] }
}
// Plain modules of the build (no TypeScript there: electron-builder loads them as they are).
const load = async <T>(path: string): Promise<T> => (await import(join(ROOT, path))) as T

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) {
    const build = spawnSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
  }
  const icons = spawnSync(process.execPath, ['scripts/packaging/icons.mjs'], { cwd: ROOT, encoding: 'utf8' })
  expect(icons.status, icons.stderr).toBe(0)
}, 120_000)

describe('the packaged app (built with the stand-in for Electron)', () => {
  it('packs only what the app runs, unpacks the native modules, and keeps main and version', async () => {
    const { buildWithStandIn, checkPackagedApp } = await load<PackageCheck>('scripts/packaging/package-check.mjs')
    const lines: string[] = []
    const appDir = await buildWithStandIn(newDir(), { log: (line) => lines.push(line) })
    const { failures, asarFiles, unpacked } = await checkPackagedApp(appDir)
    expect(failures).toEqual([])

    expect(asarFiles).toContain('/out/main/index.js')
    expect(asarFiles).toContain('/out/renderer/index.html')
    expect(asarFiles.filter((p) => /^\/(src|test|bench|scripts)\//.test(p))).toEqual([])
    expect(asarFiles.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([])
    // better-sqlite3 ships a build per platform: only this target's is packed.
    expect(unpacked.filter((p) => /^node_modules\/better-sqlite3\/.*\.node$/.test(p))).toEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node'])
    expect(unpacked.some((p) => /^node_modules\/keytar\/.*\.node$/.test(p))).toBe(true)
    expect(unpacked.some((p) => /^node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/.test(p))).toBe(true)

    // The stand-in is named for what it is, and the fuses hook says it left it alone.
    expect(readFileSync(join(appDir, 'proofsheet'), 'utf8')).toContain('stand-in for the Electron binary')
    expect(existsSync(join(appDir, 'STAND-IN-NOT-ELECTRON.txt'))).toBe(true)
  }, 120_000)

  it('fails an app whose asar carries sources and tests and no native modules, naming each', async () => {
    const { checkPackagedApp } = await load<PackageCheck>('scripts/packaging/package-check.mjs')
    const source = newDir()
    for (const [file, text] of [
      ['package.json', JSON.stringify({ name: 'proofsheet', main: 'out/main/index.js', version: '0.0.1' })],
      ['out/main/index.js', ''],
      ['src/main/index.ts', ''],
      ['test/a.test.ts', ''],
    ] as const) {
      mkdirSync(join(source, file, '..'), { recursive: true })
      writeFileSync(join(source, file), text)
    }
    const appDir = newDir()
    mkdirSync(join(appDir, 'resources'))
    await createPackage(source, join(appDir, 'resources', 'app.asar'))
    const { failures } = await checkPackagedApp(appDir)
    const text = failures.join('\n')
    expect(text).toMatch(/from src\//)
    expect(text).toMatch(/from test\//)
    expect(text).toMatch(/TypeScript source/)
    expect(text).toMatch(/version 0\.0\.1, expected/)
    expect(text).toMatch(/no native file of better-sqlite3/)
    expect(text).toMatch(/no native file of sharp's libvips/)
    expect(text).toMatch(/keytar is not at node_modules\/keytar in the asar, so the app cannot require it/)
  })

  it('has icons for every target: the PNG sizes, a Windows .ico and a macOS .icns', async () => {
    const { checkIconFiles } = await load<PackageCheck>('scripts/packaging/package-check.mjs')
    expect(checkIconFiles(join(ROOT, 'build/icons'))).toEqual([])
    const broken = newDir()
    mkdirSync(join(broken, 'png'))
    writeFileSync(join(broken, 'icon.ico'), Buffer.alloc(6))
    expect(checkIconFiles(broken).join('\n')).toMatch(/16x16\.png is missing[\s\S]*icon\.ico[\s\S]*icon\.icns is missing/)
  })
})

// A file laid out as Electron lays out its fuse wire (sentinel, version 1, length, one byte per
// fuse at Electron's defaults): no real Electron binary is in node_modules here.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
function binaryWithFuseWire(dir: string): string {
  const wire = '101100011'
  const path = join(dir, 'proofsheet')
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 0x41), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(4096, 0x42)]))
  return path
}

describe('the afterPack fuses hook', () => {
  it('flips the packaged fuses on the binary and reads them back', async () => {
    const { fusePackagedApp } = await load<AfterPack>('scripts/packaging/after-pack.mjs')
    const appOutDir = newDir()
    const binary = binaryWithFuseWire(appOutDir)
    const lines: string[] = []
    expect(await fusePackagedApp({ appOutDir, binary, log: (line) => lines.push(line) })).toBe('set')
    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(lines.join('\n')).toMatch(/9 fuses set for the packaged app and read back/)
  })

  it('leaves the stand-in alone and says so in one line', async () => {
    const { fusePackagedApp } = await load<AfterPack>('scripts/packaging/after-pack.mjs')
    const appOutDir = newDir()
    const binary = binaryWithFuseWire(appOutDir)
    writeFileSync(join(appOutDir, 'STAND-IN-NOT-ELECTRON.txt'), 'stand-in\n')
    const before = readFileSync(binary)
    const lines: string[] = []
    expect(await fusePackagedApp({ appOutDir, binary, log: (line) => lines.push(line) })).toBe('skipped')
    expect(readFileSync(binary).equals(before)).toBe(true)
    expect(lines).toEqual([expect.stringMatching(/^fuses: skipped: .* stand-in for the Electron binary/)])
  })
})

describe('signing', () => {
  it('is skipped with one line naming the variable when no certificate is given', async () => {
    const { signingPlan } = await load<Signing>('scripts/packaging/signing.mjs')
    const mac = signingPlan({}, 'darwin')
    expect(mac).toMatchObject({ signMac: false, notarize: false })
    expect(mac.lines).toEqual([expect.stringMatching(/^signing: skipped for macOS: CSC_LINK/)])
    const win = signingPlan({}, 'win32')
    expect(win.signWindows).toBe(false)
    expect(win.lines).toEqual([expect.stringMatching(/^signing: skipped for Windows: WIN_CSC_LINK/)])
  })

  it('signs and notarizes when the certificate and the Apple account are all given', async () => {
    const { signingPlan } = await load<Signing>('scripts/packaging/signing.mjs')
    const env = { CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'x', APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'y', APPLE_TEAM_ID: 'T' }
    expect(signingPlan(env, 'darwin')).toMatchObject({ signMac: true, notarize: true })
    // A team id missing: signed, not notarized, and the line says what to set.
    const partial = signingPlan({ ...env, APPLE_TEAM_ID: '' }, 'darwin')
    expect(partial).toMatchObject({ signMac: true, notarize: false })
    expect(partial.lines[0]).toMatch(/not notarized \(set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID\)/)
    expect(signingPlan({ WIN_CSC_LINK: 'w.pfx' }, 'win32').signWindows).toBe(true)
  })
})

describe('the update feed baked into the app', () => {
  interface Publish {
    publishEntry(env: Record<string, string | undefined>): Record<string, string> | null
  }

  it('is none unless the build names one, so an installed app never checks a made-up address', async () => {
    const { publishEntry } = await load<Publish>('scripts/packaging/publish.mjs')
    expect(publishEntry({})).toBeNull()
    expect(publishEntry({ PROOFSHEET_PUBLISH_FEED: 'off' })).toBeNull()
    expect(publishEntry({ PROOFSHEET_PUBLISH_FEED: 'https://updates.example.com/proofsheet' })).toEqual({ provider: 'generic', url: 'https://updates.example.com/proofsheet/' })
    expect(publishEntry({ PROOFSHEET_PUBLISH_FEED: 'github:studio/proofsheet' })).toEqual({ provider: 'github', owner: 'studio', repo: 'proofsheet' })
  })

  it('refuses a feed the app could be tampered through, naming the variable', async () => {
    const { publishEntry } = await load<Publish>('scripts/packaging/publish.mjs')
    for (const bad of ['http://updates.example.com/', 'https://user:pw@updates.example.com/', 'https://updates.example.com/?t=1', 'github:only-owner', 'updates'])
      expect(() => publishEntry({ PROOFSHEET_PUBLISH_FEED: bad }), bad).toThrow(/PROOFSHEET_PUBLISH_FEED .* github:owner\/repo/)
  })
})
