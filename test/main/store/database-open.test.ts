/**
 * Opening a library: a file that is not ours, is damaged, or was written by a newer Proofsheet is
 * refused with an error about `home`, and not one byte of it is changed.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { APPLICATION_ID, openDatabase, schemaVersion } from '../../../src/main/core/store/database'
import { Store } from '../../../src/main/core/store/store'
import { newJob } from '../../helpers/store-rows'
import { LATEST_VERSION, sha256File } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

function refusal(open: () => unknown): ApiError {
  try {
    const db = open() as { close(): void }
    db.close()
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('the file was opened instead of refused')
}

/** A real library with one job in it, closed cleanly. */
function libraryWithAJob(file: string): void {
  const store = Store.open(file)
  store.jobs.insertMany([newJob({ id: 'job_precious' })])
  store.close()
}

describe('opening a library database', () => {
  it('creates a new library in WAL mode, marked with our application_id', () => {
    const file = join(tempDir(), 'nested', 'library.sqlite')
    const db = openDatabase(file)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    db.close()
  })

  it('reopens its own library with the data in it', () => {
    const file = join(tempDir(), 'library.sqlite')
    libraryWithAJob(file)
    const store = Store.open(file)
    expect(store.jobs.get('job_precious')?.status).toBe('queued')
    store.close()
  })

  it('refuses a library written by a newer Proofsheet and leaves it byte-identical', () => {
    const file = join(tempDir(), 'library.sqlite')
    libraryWithAJob(file)
    const raw = new BetterSqlite3(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    const before = sha256File(file)

    const err = refusal(() => openDatabase(file))
    expect(err.code).toBe('unavailable')
    expect(err.field).toBe('home')
    expect(err.message).toMatch(/newer Proofsheet/)
    expect(err.fix).toMatch(/Update Proofsheet|--home/)
    expect(sha256File(file)).toBe(before)

    const check = new BetterSqlite3(file, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1)
    check.close()
  })

  it('refuses a newer library restored from a VACUUM INTO backup (rollback journal) without writing to it', () => {
    // VACUUM INTO writes its copy in rollback-journal mode. Switching that file to WAL rewrites its
    // header, so the version must be checked before any pragma that writes.
    const dir = tempDir()
    const live = join(dir, 'live.sqlite')
    libraryWithAJob(live)
    const raw = new BetterSqlite3(live)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    const file = join(dir, 'library.sqlite')
    raw.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`)
    raw.close()
    const before = sha256File(file)

    const err = refusal(() => openDatabase(file))
    expect(err.field).toBe('home')
    expect(err.message).toMatch(/newer Proofsheet/)
    expect(sha256File(file)).toBe(before)
  })

  it("refuses another program's SQLite file and leaves it byte-identical", () => {
    const file = join(tempDir(), 'library.sqlite')
    const other = new BetterSqlite3(file)
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('not yours')")
    other.close()
    const before = sha256File(file)

    const err = refusal(() => openDatabase(file))
    expect(err.code).toBe('unavailable')
    expect(err.field).toBe('home')
    expect(err.message).toMatch(/another program/)
    expect(sha256File(file)).toBe(before)
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('refuses a damaged file (random bytes) and leaves it byte-identical', () => {
    const file = join(tempDir(), 'library.sqlite')
    writeFileSync(file, randomBytes(16 * 1024))
    const before = sha256File(file)

    const err = refusal(() => openDatabase(file))
    expect(err.code).toBe('unavailable')
    expect(err.field).toBe('home')
    expect(err.message).toMatch(/damaged or not a database/)
    expect(sha256File(file)).toBe(before)
  })

  it('refuses through Store.open too, so every door gets the same error object', () => {
    const file = join(tempDir(), 'library.sqlite')
    writeFileSync(file, randomBytes(4096))
    const err = refusal(() => Store.open(file))
    expect(err.toJSON()).toMatchObject({ code: 'unavailable', field: 'home' })
  })
})
