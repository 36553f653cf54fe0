/**
 * A library folder whose database is damaged, cut short, empty, a folder, another program's file
 * or from a newer Proofsheet is refused through every door that opens a library (the engine, the
 * CLI, browser mode), with a message saying what and how to fix it, and the file is byte-for-byte
 * what it was, with no -wal, -shm or -journal left beside it.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/shared/api/errors'
import { createEngine } from '../../src/main/core/engine'
import { SessionSecretStore } from '../../src/main/core/secrets'
import { Store } from '../../src/main/core/store/store'
import { cliInProcess } from '../helpers/cli-in-process'
import { LATEST_VERSION, sha256File } from '../helpers/sqlite'
import { newJob } from '../helpers/store-rows'
import { seededRandom } from '../helpers/seeded-random'
import { tempDir } from '../helpers/temp-dir'

const REPO = join(import.meta.dirname, '..', '..')

/** Overwrites 4 KB in the middle of the file with random bytes, as a bad sector or a torn sync would. */
function damageMiddle(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    const random = seededRandom(50_000)
    writeSync(fd, Buffer.from(Array.from({ length: 4096 }, () => random.int(0, 255))), 0, 4096, 50_000)
  } finally {
    closeSync(fd)
  }
}

/** A real library with some rows in it, closed cleanly (so it spans many pages). */
function realLibrary(file: string): void {
  const store = Store.open(file)
  store.jobs.insertMany(Array.from({ length: 200 }, (_, i) => newJob({ id: `job_${i}`, prompt: `precious prompt ${i} `.repeat(20) })))
  store.close()
}

interface Kind {
  name: string
  make(file: string): void
  message: RegExp
  /** What the fix must say besides the way out through --home. */
  fix?: RegExp
}

const kinds: Kind[] = [
  { name: 'random bytes', make: (f) => writeFileSync(f, randomBytes(16 * 1024)), message: /damaged or not a database/ },
  {
    name: 'a truncated library',
    make: (f) => {
      realLibrary(f)
      truncateSync(f, Math.floor(statSync(f).size / 2))
    },
    message: /damaged: cut short/,
  },
  {
    name: "another program's SQLite file",
    make: (f) => {
      const db = new BetterSqlite3(f)
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('not yours')")
      db.close()
    },
    message: /belongs to another program/,
  },
  {
    name: "another program's SQLite file in WAL mode",
    make: (f) => {
      const db = new BetterSqlite3(f)
      db.pragma('journal_mode = WAL')
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('not yours')")
      db.close()
    },
    message: /belongs to another program/,
  },
  {
    name: 'a library from a newer Proofsheet',
    make: (f) => {
      realLibrary(f)
      const db = new BetterSqlite3(f)
      db.pragma(`user_version = ${LATEST_VERSION + 1}`)
      db.close()
    },
    message: /newer Proofsheet/,
  },
  {
    name: 'a library damaged in the middle (4 KB of random bytes at offset 50,000)',
    make: (f) => {
      realLibrary(f)
      damageMiddle(f)
    },
    message: /damaged inside \(quick_check found malformed pages\)/,
    fix: /backup/,
  },
  { name: 'a folder', make: (f) => mkdirSync(f), message: /is a folder, not a database file/ },
  { name: 'an empty (zero-byte) file', make: (f) => writeFileSync(f, ''), message: /is empty \(0 bytes\)/ },
]

/** A library folder holding `kind`, and a check that it is exactly as made afterwards. */
function folderWith(kind: Kind): { home: string; unchanged(): void } {
  const home = tempDir('proofsheet-refused-')
  const file = join(home, 'library.sqlite')
  kind.make(file)
  const isFolder = statSync(file).isDirectory()
  const before = isFolder ? null : sha256File(file)
  const siblings = readdirSync(home).sort()
  return {
    home,
    unchanged() {
      if (isFolder) expect(readdirSync(file)).toEqual([])
      else expect(sha256File(file)).toBe(before)
      // No -wal, -shm or -journal created beside it (nor anything else).
      expect(readdirSync(home).sort()).toEqual(siblings)
    },
  }
}

describe.each(kinds)('a library folder holding $name', (kind) => {
  it('is refused by the engine with an error about home, and left untouched', async () => {
    const { home, unchanged } = folderWith(kind)
    const err = await createEngine({
      home,
      env: {},
      secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: '' } }),
    }).then(
      (engine) => engine.close().then(() => null),
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'unavailable', field: 'home', message: expect.stringMatching(kind.message) })
    // The engine gives the fix as a remedy, and its plain words name no flag: --home is the CLI's to add.
    expect((err as ApiError).remedy).toMatchObject({ code: 'library' })
    expect((err as ApiError).fix).not.toMatch(/--/)
    if (kind.fix) expect((err as ApiError).fix).toMatch(kind.fix)
    unchanged()
  })

  it('makes the CLI exit 2 with the message and the fix, for reading and for writing commands', async () => {
    const { home, unchanged } = folderWith(kind)
    for (const args of [['queue'], ['generate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64']]) {
      const run = await cliInProcess([...args, '--home', home, '--json'])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(kind.message)
      expect(run.stderr).toMatch(/fix: .*--home/)
      if (kind.fix) expect(run.json().error.fix).toMatch(kind.fix)
      expect(run.json().error).toMatchObject({ message: expect.stringMatching(kind.message), flag: '--home' })
    }
    unchanged()
  })

  it('stops browser mode at startup with exit 2, the message and the fix, and no URL', () => {
    const { home, unchanged } = folderWith(kind)
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/web/main.ts', '--home', home, '--port', '0'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(result.stderr).toMatch(kind.message)
    expect(result.stderr).toMatch(/fix: .*--home/)
    expect(result.status).toBe(2)
    expect(result.stdout).not.toMatch(/token=/)
    unchanged()
  })
})

describe('what is not refused', () => {
  it('a missing file: a new library is made there', async () => {
    const home = tempDir('proofsheet-refused-')
    const run = await cliInProcess(['queue', '--home', home])
    expect(run.code).toBe(0)
    expect(existsSync(join(home, 'library.sqlite'))).toBe(true)
  })
})
