/**
 * Opening skips reading every page (quick_check) only for a file exactly as our own clean close
 * left it. Anything else gets the full check: a write since the close (by another program, or
 * bytes overwritten in the middle), a crash (a log to replay), a close that was not the last.
 */
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { closedCleanly } from '../../../src/main/core/store/database'
import { Store } from '../../../src/main/core/store/store'
import { sha256File } from '../../helpers/sqlite'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

function filledLibrary(): { home: string; file: string; store: Store } {
  const home = tempDir('proofsheet-clean-close-')
  const file = join(home, 'library.sqlite')
  const store = Store.open(file)
  const jobs = Array.from({ length: 100 }, (_, i) => newJob({ id: `job_${i}`, prompt: `prompt ${i} `.repeat(30) }))
  store.jobs.insertMany(jobs)
  for (const job of jobs) store.images.insert(newImage(job.id, { prompt: job.prompt }))
  return { home, file, store }
}

/** 4 KB of 0xA5 at offset 40,000: inside the tables, past every header check. */
function overwriteMiddle(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 40_000)
  } finally {
    closeSync(fd)
  }
}

describe('a clean close', () => {
  it('marks the file; the next open trusts the mark once and removes it while the library is open', () => {
    const { file, store } = filledLibrary()
    expect(closedCleanly(file)).toBe(false)
    store.close()
    expect(closedCleanly(file)).toBe(true)
    const again = Store.open(file)
    expect(again.jobs.get('job_7')?.id).toBe('job_7')
    // Open: a crash from here must find no mark.
    expect(closedCleanly(file)).toBe(false)
    expect(existsSync(`${file}-closed`)).toBe(false)
    again.close()
    expect(closedCleanly(file)).toBe(true)
  })

  it('does not vouch for bytes overwritten since: the open reads every page, refuses the file and leaves the folder as it was', () => {
    const { home, file, store } = filledLibrary()
    store.close()
    overwriteMiddle(file)
    expect(closedCleanly(file)).toBe(false)
    const names = readdirSync(home).sort()
    const sum = sha256File(file)
    let refused: unknown = null
    try {
      Store.open(file).close()
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(ApiError)
    expect((refused as ApiError).message).toMatch(/it is damaged inside/)
    expect(readdirSync(home).sort()).toEqual(names)
    expect(sha256File(file)).toBe(sum)
  })

  it('does not vouch for a file another program wrote after the close', () => {
    const { file, store } = filledLibrary()
    store.close()
    const other = new BetterSqlite3(file)
    other.prepare("UPDATE jobs SET prompt = 'changed' WHERE id = 'job_1'").run()
    other.close()
    expect(closedCleanly(file)).toBe(false)
  })

  it('is not made by a close that leaves another connection open, nor by a crash', () => {
    const { home, file, store } = filledLibrary()
    const other = new BetterSqlite3(file)
    onTestFinished(() => {
      other.close()
    })
    other.prepare('SELECT count(*) FROM jobs').get()
    // What a crash leaves: the file and its log, copied while the library is open.
    const crashed = tempDir('proofsheet-clean-close-crash-')
    for (const name of readdirSync(home)) copyFileSync(join(home, name), join(crashed, name))
    store.close()
    expect(closedCleanly(file)).toBe(false)
    expect(closedCleanly(join(crashed, 'library.sqlite'))).toBe(false)
    const reopened = Store.open(join(crashed, 'library.sqlite'))
    expect(reopened.jobs.get('job_99')?.id).toBe('job_99')
    reopened.close()
  })
})
