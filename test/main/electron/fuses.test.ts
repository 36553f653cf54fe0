import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { fuseSettings, installedElectronBinary, readBackFuses } from '../../../scripts/fuses'
import { tempDir } from '../../helpers/temp-dir'

// No Electron binary can be downloaded here, so the script flips a stand-in: bytes around the
// fuse wire exactly as Electron lays it out (sentinel, version, length, one byte per fuse, set to
// Electron's defaults). What this proves: the script writes the fuses we decided, only those bytes,
// and reads them back. What it cannot prove: that a real Electron build honours them.
const root = fileURLToPath(new URL('../../..', import.meta.url))
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const ELECTRON_DEFAULTS = '101100011' // RunAsNode on, cookies plain, NODE_OPTIONS on, inspect on, ...

function fakeElectron(dir: string, wire = ELECTRON_DEFAULTS): { path: string; wireAt: number } {
  const before = Buffer.alloc(300_000, 0x41)
  const header = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wire.length])])
  const path = join(dir, 'electron')
  writeFileSync(path, Buffer.concat([before, header, Buffer.from(wire), Buffer.alloc(100_000, 0x42)]))
  return { path, wireAt: before.length + header.length }
}

function flip(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/flip-fuses.ts'), ...args], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('fuse settings', () => {
  it('turn off Node entry points and file privileges we can do without, and encrypt cookies', () => {
    for (const target of ['packaged', 'development'] as const) {
      const s = fuseSettings(target)
      expect(s[FuseV1Options.RunAsNode].on, target).toBe(false)
      expect(s[FuseV1Options.EnableNodeOptionsEnvironmentVariable].on, target).toBe(false)
      expect(s[FuseV1Options.EnableNodeCliInspectArguments].on, target).toBe(false)
      expect(s[FuseV1Options.EnableCookieEncryption].on, target).toBe(true)
      expect(s[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot].on, target).toBe(false)
    }
  })

  it('validate and require the asar only for the packaged app', () => {
    expect(fuseSettings('packaged')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation].on).toBe(true)
    expect(fuseSettings('packaged')[FuseV1Options.OnlyLoadAppFromAsar].on).toBe(true)
    expect(fuseSettings('development')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation].on).toBe(false)
    expect(fuseSettings('development')[FuseV1Options.OnlyLoadAppFromAsar].on).toBe(false)
  })

  it('decide every fuse this @electron/fuses knows, each with a reason', () => {
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number')
    expect(Object.keys(fuseSettings('packaged')).map(Number).sort()).toEqual(known.sort())
    for (const { why } of Object.values(fuseSettings('packaged'))) expect(why.length).toBeGreaterThan(10)
  })
})

describe('flip-fuses script', () => {
  it('flips the development fuses on a binary and reads every one back from the file', async () => {
    const { path, wireAt } = fakeElectron(tempDir())
    const original = readFileSync(path)
    const run = await flip(path)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('9 fuses set for development')
    expect(run.stdout).not.toContain('FAIL')

    const wire = await getCurrentFuseWire(path)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.DISABLE)
    expect((await readBackFuses(path, 'development')).every((fuse) => fuse.ok)).toBe(true)

    // Nothing but the wire changed.
    const after = readFileSync(path)
    expect(after.length).toBe(original.length)
    const changed = [...after.keys()].filter((i) => after[i] !== original[i])
    expect(changed.every((i) => i >= wireAt && i < wireAt + ELECTRON_DEFAULTS.length)).toBe(true)
    expect(after.subarray(wireAt, wireAt + 9).toString()).toBe('010000011')
  })

  it('turns the asar fuses on with --packaged', async () => {
    const { path, wireAt } = fakeElectron(tempDir())
    const run = await flip('--packaged', path)
    expect(run.code).toBe(0)
    expect(readFileSync(path).subarray(wireAt, wireAt + 9).toString()).toBe('010011011')
    expect((await readBackFuses(path, 'packaged')).map((fuse) => fuse.ok)).toEqual(Array(9).fill(true))
  })

  it('reports a binary whose fuses do not match, without flipping it', async () => {
    const { path } = fakeElectron(tempDir())
    const readBack = await readBackFuses(path, 'development')
    expect(readBack.find((fuse) => fuse.name === 'RunAsNode')).toEqual({ name: 'RunAsNode', wanted: false, found: 'on', ok: false })
  })

  it('refuses a binary with a fuse we have not decided, and leaves it untouched', async () => {
    const { path } = fakeElectron(tempDir(), `${ELECTRON_DEFAULTS}1`)
    const original = readFileSync(path)
    const run = await flip(path)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('strictlyRequireAllFuses')
    expect(readFileSync(path).equals(original)).toBe(true)
  })

  it('refuses a file that is not an Electron binary, and a missing path', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'not-electron'), 'just some bytes')
    const notElectron = await flip(join(dir, 'not-electron'))
    expect(notElectron.code).toBe(1)
    expect(notElectron.stderr).toContain('Could not find sentinel')
    const missing = await flip(join(dir, 'nothing-here'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('does not exist')
  })

  it('finds the binary of node_modules/electron only where it was downloaded', () => {
    const project = tempDir()
    writeFileSync(join(project, 'package.json'), '{}')
    const electronDir = join(project, 'node_modules', 'electron')
    mkdirSync(join(electronDir, 'dist'), { recursive: true })
    writeFileSync(join(electronDir, 'package.json'), '{"name":"electron","version":"45.4.1"}')
    expect(installedElectronBinary(project)).toBeNull()
    writeFileSync(join(electronDir, 'path.txt'), 'electron')
    expect(installedElectronBinary(project)).toBeNull()
    writeFileSync(join(electronDir, 'dist', 'electron'), '')
    expect(installedElectronBinary(project)).toBe(join(electronDir, 'dist', 'electron'))
  })
})
