/**
 * A call that fails because SQLite cannot write (the database is full or read-only) gets an
 * error object that says so and what to do, not "unexpected problem", and nothing of it is saved.
 * The failures are SQLite's own: max_page_count caps the file so the next insert does not fit.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createRouter, type Handlers } from '../../../src/main/core/router'
import { tempDir } from '../../helpers/temp-dir'

function routerWriting(run: () => void) {
  const handlers = new Proxy({} as Handlers, { get: () => () => (run(), { ok: true }) })
  const logged: string[] = []
  return { router: createRouter(handlers, () => () => undefined, (m) => logged.push(m)), logged }
}

describe('a call that SQLite cannot write', () => {
  it('full (SQLITE_FULL): says the disk is full, with the fix, and the rows are not half-written', async () => {
    const db = new BetterSqlite3(join(tempDir(), 'full.sqlite'))
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)')
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)')
    const { router, logged } = routerWriting(() => db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run('x'.repeat(1000))
    })())

    const result = await router.handle('queue.clearFinished', {})
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'unavailable', field: 'home', message: expect.stringMatching(/is full \(SQLITE_FULL\)\. Nothing was saved\./), fix: expect.stringMatching(/Free some space/) },
    })
    expect(logged).toEqual([])
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })

  it('read-only (SQLITE_READONLY): says the folder is on a read-only disk', async () => {
    const file = join(tempDir(), 'ro.sqlite')
    new BetterSqlite3(file).exec('CREATE TABLE t (id INTEGER PRIMARY KEY)').close()
    const db = new BetterSqlite3(file, { readonly: true })
    const { router } = routerWriting(() => db.exec('INSERT INTO t DEFAULT VALUES'))
    const result = await router.handle('queue.clearFinished', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/read-only disk \(SQLITE_READONLY\)/) } })
    db.close()
  })

  it.each([
    ['the network side', Object.assign(new Error('connect EACCES 10.0.0.1:443'), { code: 'EACCES', syscall: 'connect' })],
    ['a folder outside the library (an export)', Object.assign(new Error("EROFS: read-only file system, mkdir '/mnt/card/export'"), { code: 'EROFS', path: '/mnt/card/export' })],
  ])('an errno from %s is not blamed on the library folder', async (_, error) => {
    const { router } = routerWriting(() => {
      throw error
    })
    const result = await router.handle('queue.clearFinished', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(result)).not.toMatch(/library folder/)
  })
})
