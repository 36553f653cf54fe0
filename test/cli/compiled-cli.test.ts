import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'

// The compiled command (out/cli/proofsheet.mjs, run through bin/proofsheet.js as an installed
// `proofsheet` is) against the sources it was built from: same answers, same exit codes.
const ROOT = join(import.meta.dirname, '..', '..')
const homes: string[] = []
const newHome = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-compiled-'))
  homes.push(dir)
  return dir
}
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })))

beforeAll(() => {
  // Built here, from the current sources, so the test never runs a stale bundle.
  const build = spawnSync(process.execPath, ['scripts/cli-build.mjs'], { cwd: ROOT, encoding: 'utf8' })
  expect(build.stderr).toBe('')
  expect(build.status).toBe(0)
})

function compiled(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/proofsheet.js', ...args], { cwd: ROOT, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.end()
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('the compiled proofsheet command', () => {
  it("keeps Node's compile cache in the user's own cache folder, not the shared temp folder", async () => {
    const cacheHome = newHome()
    const { NODE_COMPILE_CACHE: _chosen, NODE_DISABLE_COMPILE_CACHE: _off, ...env } = process.env
    const run = await compiled(['providers', '--json', '--home', newHome()], { ...env, XDG_CACHE_HOME: cacheHome })
    expect(run.code).toBe(0)
    // Another account can write to /tmp; code V8 would load from there must not live there.
    expect(statSync(join(cacheHome, 'proofsheet', 'node-compile-cache')).isDirectory()).toBe(true)
  })

  it('lists the providers as the source command does (--json)', async () => {
    const home = newHome()
    const built = await compiled(['providers', '--json', '--home', home])
    const source = await cliInProcess(['providers', '--json', '--home', home])
    expect(built.stderr).toBe('')
    expect(built.code).toBe(0)
    expect(source.code).toBe(0)
    const listed = JSON.parse(built.stdout)
    expect(listed).toEqual(source.json())
    expect(listed.providers.map((p: { id: string }) => p.id)).toContain('demo')
  })

  it('generates with the demo provider (sharp, loaded on first use, draws the image)', async () => {
    const home = newHome()
    const run = await compiled(['generate', '--provider', 'demo', '--prompt', 'red kettle', '--size', '640x480', '--wait', '--json', '--home', home])
    expect(run.code).toBe(0)
    const job = JSON.parse(run.stdout).jobs[0]
    expect(job.status).toBe('succeeded')
    expect(job.images[0]).toMatchObject({ width: 640, height: 480, format: 'png' })
  })

  it.each([
    ['an unknown command', ['bogus']],
    ['--home given twice', ['providers', '--home', 'a', '--home', 'b']],
    ['a stray argument', ['providers', 'extra']],
    ['no command at all', []],
  ])('exits 2 on bad input: %s, with the error as JSON', async (_what, args) => {
    const home = newHome()
    const withHome = args.includes('--home') ? args : [...args, '--home', home]
    const built = await compiled([...withHome, '--json'])
    const source = await cliInProcess([...withHome, '--json'])
    expect(built.code).toBe(2)
    expect(source.code).toBe(2)
    expect(built.stdout).toBe(source.stdout)
    expect(built.stderr).toBe(source.stderr)
  })

  it('npm run cli rebuilds a bundle older than its sources before running it', async () => {
    const bundle = join(ROOT, 'out', 'cli', 'proofsheet.mjs')
    const longAgo = new Date('2001-01-01T00:00:00Z')
    utimesSync(bundle, longAgo, longAgo)
    const home = newHome()
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('npm', ['run', '-s', 'cli', '--', 'providers', '--json', '--home', home], { cwd: ROOT, env: process.env })
      let stdout = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stdin.end()
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout }))
    })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).providers.length).toBeGreaterThan(0)
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(longAgo.getTime())
  })
})
