import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// What the compiled command does before it answers: `providers` opens the library and lists the
// profiles, and must not load what only other commands use (sharp for pixels, keytar for keys) or
// set up ICU (Intl) unless it prints an amount for a person (money is the user's locale's), nor
// build the schemas of routes it does not call, each several milliseconds of a start-up budget of
// about three times Node's.
const ROOT = join(import.meta.dirname, '..', '..')
const RECORDER = join(import.meta.dirname, 'fixtures', 'start-up-work.mjs')
const CRASH_AFTER_OUTPUT = join(import.meta.dirname, 'fixtures', 'crash-after-output.mjs')
const home = mkdtempSync(join(tmpdir(), 'proofsheet-start-up-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/cli-build.mjs'], { cwd: ROOT, encoding: 'utf8' })
  expect(build.stderr).toBe('')
  expect(build.status).toBe(0)
})

interface Recorded {
  code: number | null
  stdout: string
  intl: string[]
  modules: string[]
  /** zod schemas built while the command ran. */
  schemas: number
}

function recorded(args: string[], options: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', RECORDER, 'bin/proofsheet.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.end()
    child.on('error', reject)
    child.on('close', (code) => {
      // The record's line; a crash's trace may follow it (Node prints the error after 'exit').
      const line = stderr.split('\n').find((l) => l.startsWith('{"intl"')) ?? ''
      try {
        resolve({ code, stdout, ...(JSON.parse(line) as { intl: string[]; modules: string[]; schemas: number }) })
      } catch {
        reject(new Error(`no record on stderr: ${stderr}`))
      }
    })
  })
}

const packageOf = (file: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]

describe('start-up of the compiled command', () => {
  it('providers --json answers without Intl, sharp or keytar, and with SQLite', async () => {
    const run = await recorded(['providers', '--json', '--home', home])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).providers.map((p: { id: string }) => p.id)).toContain('toapis')
    expect(run.intl).toEqual([])
    const packages = new Set(run.modules.map(packageOf))
    expect(packages).toContain('better-sqlite3')
    expect(packages).not.toContain('sharp')
    expect(packages).not.toContain('keytar')
  })

  it('providers --json builds the schemas of its own calls, not those of the whole contract', async () => {
    const run = await recorded(['providers', '--json', '--home', home])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).providers.length).toBeGreaterThan(0)
    // The hook is called: the input of providers.list was checked with its schema.
    expect(run.schemas).toBeGreaterThan(0)
    // The whole contract is about 1,800 schemas (gallery, exports, batches, jobs... built at load).
    expect(run.schemas).toBeLessThan(100)
  })

  it('providers for a person prints dollar prices in en-US without Intl, and sets Intl up only for another locale', async () => {
    const us = await recorded(['providers', '--home', home], { env: { LC_ALL: 'en_US.UTF-8' } })
    expect(us.code).toBe(0)
    expect(us.stdout).toMatch(/^toapis .*1K \$0\.015/m)
    expect(us.intl).toEqual([])
    const packages = new Set(us.modules.map(packageOf))
    expect(packages).not.toContain('sharp')
    expect(packages).not.toContain('keytar')
    // Another locale is the user's, written by Intl: the one place the command line sets ICU up.
    const de = await recorded(['providers', '--home', home], { env: { LC_ALL: 'de_DE.UTF-8' } })
    expect(de.code).toBe(0)
    expect(de.stdout).toMatch(/^toapis .*1K 0,015\s\$/m)
    expect(de.intl.length).toBeGreaterThan(0)
  })

  it('providers --json neither loads electron-log nor makes the log folder; a crash still lands in cli.log', async () => {
    const logs = join(home, 'logs-of-this-test')
    const run = await recorded(['providers', '--json', '--home', home], { env: { PROOFSHEET_LOG_DIR: logs } })
    expect(run.code).toBe(0)
    expect(existsSync(logs)).toBe(false)
    expect(new Set(run.modules.map(packageOf))).not.toContain('electron-log')
    // The first line a command writes opens the file, synchronously: an uncaught error still gets there.
    const crashed = await recorded(['providers', '--json', '--home', home], {
      env: { PROOFSHEET_LOG_DIR: logs },
      nodeArgs: ['--import', CRASH_AFTER_OUTPUT],
    })
    expect(crashed.code).not.toBe(0)
    expect(readFileSync(join(logs, 'cli.log'), 'utf8')).toMatch(/\[crash\] uncaughtException:[\s\S]*simulated crash after the output[\s\S]*at /)
  })

  it('requires better-sqlite3 as CommonJS: imported as an ES module it would start the CommonJS export scanner at every start', () => {
    const bundle = readFileSync(join(ROOT, 'out/cli/proofsheet.mjs'), 'utf8')
    expect(bundle).toMatch(/createRequire\d*\(import\.meta\.url\)\("better-sqlite3"\)/)
    expect(bundle).not.toMatch(/from "better-sqlite3"/)
  })
})
