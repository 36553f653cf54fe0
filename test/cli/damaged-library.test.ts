/**
 * A library database damaged inside (bytes overwritten in the middle, as a bad sector or a torn
 * sync leaves it) is refused through every command with exit 2, a message and a fix that never
 * says to delete the library; the file stays byte-for-byte as it was, log and all. Damage found
 * later, while a library is open, is named the same way instead of "unexpected problem".
 */
import { closeSync, copyFileSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createEngine } from '../../src/main/core/engine'
import { SessionSecretStore } from '../../src/main/core/secrets'
import { Store } from '../../src/main/core/store/store'
import { fromApiError } from '../../src/cli/cli-error'
import { cliInProcess } from '../helpers/cli-in-process'
import { seededRandom } from '../helpers/seeded-random'
import { sha256File } from '../helpers/sqlite'
import { newImage, newJob } from '../helpers/store-rows'
import { tempDir } from '../helpers/temp-dir'

/** A library with jobs and gallery rows spanning many pages. */
function fill(store: Store, from = 0, count = 200): void {
  const jobs = Array.from({ length: count }, (_, i) => newJob({ id: `job_${from + i}`, prompt: `precious prompt ${from + i} `.repeat(20) }))
  store.jobs.insertMany(jobs)
  for (const job of jobs) store.images.insert(newImage(job.id, { prompt: job.prompt }))
}

/** 4 KB of (seeded) random bytes at offset 50,000: inside the tables, past every header check. */
function damageMiddle(file: string, offset = 50_000): void {
  const random = seededRandom(offset)
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.from(Array.from({ length: 4096 }, () => random.int(0, 255))), 0, 4096, offset)
  } finally {
    closeSync(fd)
  }
}

/** Page numbers that have a newer copy in a write-ahead log (its 32-byte header, then frames). */
function pagesInLog(wal: string, pageSize: number): Set<number> {
  const bytes = readFileSync(wal)
  const pages = new Set<number>()
  for (let at = 32; at + 24 + pageSize <= bytes.length; at += 24 + pageSize) pages.add(bytes.readUInt32BE(at))
  return pages
}

/** The folder's names, and the bytes of each file but the log's shared-memory index (readers write their marks there). */
function snapshotFolder(home: string): () => void {
  const names = readdirSync(home).sort()
  const data = names.filter((n) => !n.endsWith('-shm'))
  const sums = data.map((n) => sha256File(join(home, n)))
  return () => {
    expect(readdirSync(home).sort()).toEqual(names)
    expect(data.map((n) => sha256File(join(home, n)))).toEqual(sums)
  }
}

const COMMANDS: [string, (home: string) => string[]][] = [
  ['queue', () => ['queue']],
  ['run', () => ['run']],
  ['generate', () => ['generate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--wait']],
  ['gallery', () => ['gallery']],
  ['export', (home) => ['export', '--out', join(home, '..', 'exported')]],
]

async function expectRefused(home: string, args: string[]): Promise<void> {
  const run = await cliInProcess([...args, '--home', home, '--json'])
  expect(run.code, `${args[0]}: ${run.stderr}`).toBe(2)
  expect(run.stderr).toMatch(/library\.sqlite: it is damaged inside/)
  expect(run.stderr).toMatch(/fix: .*backup/)
  expect(run.stderr).not.toMatch(/SqliteError|malformed\n\s+at |unexpected problem/)
  const error = run.json().error
  expect(error).toMatchObject({ flag: '--home' })
  expect(error.fix).not.toMatch(/delete|remove/i)
}

describe('a library damaged in the middle', () => {
  it('is refused by queue, run, generate, gallery and export: exit 2, the message and the fix; the folder byte-identical', async () => {
    const home = tempDir('proofsheet-damaged-')
    const store = Store.open(join(home, 'library.sqlite'))
    fill(store)
    store.close()
    damageMiddle(join(home, 'library.sqlite'))
    const unchanged = snapshotFolder(home)
    for (const [, args] of COMMANDS) {
      await expectRefused(home, args(home))
      unchanged()
    }
  })

  it('is refused without its log being copied into it, after a crash left committed pages in the log', async () => {
    const source = tempDir('proofsheet-damaged-src-')
    const store = Store.open(join(source, 'library.sqlite'))
    onTestFinished(() => store.close())
    fill(store)
    // Written after the last checkpoint: these pages live only in library.sqlite-wal.
    store.db.pragma('wal_autocheckpoint = 0')
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    fill(store, 1000, 5)
    // A copy taken while the store is open is what a crash leaves: the file plus a log to replay.
    const home = tempDir('proofsheet-damaged-')
    for (const name of ['library.sqlite', 'library.sqlite-wal', 'library.sqlite-shm']) copyFileSync(join(source, name), join(home, name))
    // Damage a page the log has no newer copy of (one it has would be read from the log instead).
    const inLog = pagesInLog(join(home, 'library.sqlite-wal'), 4096)
    expect(inLog.size).toBeGreaterThan(0)
    const page = [...Array(60).keys()].map((i) => i + 10).find((p) => !inLog.has(p))!
    damageMiddle(join(home, 'library.sqlite'), (page - 1) * 4096)
    const unchanged = snapshotFolder(home)
    await expectRefused(home, ['queue'])
    unchanged()
  })
})

describe('damage found while the library is open', () => {
  it('is named by every call (field library, the fix) and makes the CLI exit 2, not "unexpected problem"', async () => {
    const home = tempDir('proofsheet-damaged-')
    const file = join(home, 'library.sqlite')
    const store = Store.open(file)
    fill(store)
    const statusIndex = store.db.prepare("SELECT pageno FROM dbstat WHERE name = 'jobs_by_status'").pluck().all() as number[]
    store.close()
    const engine = await createEngine({
      home,
      env: {},
      secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: '' } }),
    })
    onTestFinished(() => engine.close().catch(() => undefined))
    for (const page of statusIndex) damageMiddle(file, (page - 1) * 4096)
    // Another connection's commit makes the engine's connection drop its cached pages and read
    // the file again, as it would after any write by another process.
    const other = new BetterSqlite3(file)
    other.exec('CREATE TABLE IF NOT EXISTS nudge (x INTEGER)')
    other.close()

    // Listing queued jobs reads the jobs_by_status index, whose pages were overwritten.
    const result = await engine.router.handle('jobs.list', { limit: 500, status: 'queued' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatchObject({ code: 'unavailable', field: 'library' })
    expect(result.error.message).toMatch(/database in the library folder is damaged \(SQLITE_CORRUPT/)
    expect(result.error.fix).toMatch(/backup/)
    const cli = fromApiError(result.error)
    expect(cli.exitCode).toBe(2)
    expect(cli.field).toBe('--home')
  })

  it.each([
    ['as it starts', 0],
    ['while it runs', 300],
  ])('stops the queue runner %s without a crash or a write, every call naming the damage', async (_when, afterMs) => {
    const home = tempDir('proofsheet-damaged-')
    const file = join(home, 'library.sqlite')
    const store = Store.open(file)
    fill(store)
    // Every page of the jobs table and its indexes: whatever the runner reads or writes first.
    const pages = store.db.prepare("SELECT pageno FROM dbstat WHERE name = 'jobs' OR name LIKE 'jobs_by_%' OR name = 'sqlite_autoindex_jobs_1'").pluck().all() as number[]
    store.close()
    const engine = await createEngine({
      home,
      env: {},
      runQueue: true,
      demoDelayMs: 1,
      pollIntervalMs: 20,
      secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: '' } }),
    })
    let closed = false
    onTestFinished(() => (closed ? undefined : engine.close().catch(() => undefined)))
    await new Promise((resolve) => setTimeout(resolve, afterMs))
    // The runner's writes so far sit in the log, which readers prefer to the file: move them
    // into the file first, so that the damage below is what every later read of these pages gets.
    const other = new BetterSqlite3(file)
    other.pragma('busy_timeout = 5000')
    expect(other.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }])
    for (const page of pages) damageMiddle(file, (page - 1) * 4096)
    other.exec('CREATE TABLE IF NOT EXISTS nudge (x INTEGER)')
    other.close()

    // The runner meets the damage in its recovery or on its next rounds (it polls every 20 ms).
    const resumed = await engine.router.handle('queue.resume', {})
    expect(resumed).toMatchObject({ ok: false, error: { code: 'unavailable', field: 'library' } })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await expect(engine.runUntilIdle()).rejects.toMatchObject({ code: 'SQLITE_CORRUPT' })
    // A crashed loop would reject here (and as an unhandled rejection before).
    closed = true
    await expect(engine.close()).resolves.toBeUndefined()
  })
})
