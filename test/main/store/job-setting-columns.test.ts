/**
 * A job's provider, prompt and base URL are stored once, in their columns. The params JSON of a
 * new row leaves them out; a row written before still holds a copy there, and the columns win.
 */
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../../src/main/core/store/store'
import type { NewJob } from '../../../src/main/core/store/records'
import { newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

function rawParams(file: string, id: string): Record<string, unknown> {
  const db = new BetterSqlite3(file, { readonly: true })
  try {
    return JSON.parse((db.prepare('SELECT params FROM jobs WHERE id = ?').get(id) as { params: string }).params) as Record<string, unknown>
  } finally {
    db.close()
  }
}

describe('job settings with their own column', () => {
  it('are left out of a new row\'s params JSON and read back from the columns', () => {
    const file = join(tempDir('proofsheet-job-columns-'), 'library.sqlite')
    const store = Store.open(file)
    // Params as a request carries them: a wider object than the stored shape, passed through a variable.
    const asRequested = { provider: 'scripted', prompt: 'red kettle on oak', baseUrl: 'http://127.0.0.1:9/v1', quality: 'auto', format: 'png', n: 2, refs: [] }
    const job: NewJob = newJob({ id: 'job_new', prompt: 'red kettle on oak', baseUrl: 'http://127.0.0.1:9/v1', params: asRequested as NewJob['params'] })
    store.jobs.insertMany([job])
    expect(store.jobs.get('job_new')!.params).toEqual({ ...asRequested })
    store.close()
    expect(rawParams(file, 'job_new')).toEqual({ quality: 'auto', format: 'png', n: 2, refs: [] })
  })

  it('on a row written before, the columns are the source and the copies in params are not read', () => {
    const file = join(tempDir('proofsheet-job-columns-old-'), 'library.sqlite')
    Store.open(file).jobs.insertMany([newJob({ id: 'job_old', provider: 'scripted', prompt: 'the column prompt', baseUrl: null })])
    const db = new BetterSqlite3(file)
    const old = { provider: 'elsewhere', prompt: 'a stale copy', baseUrl: 'http://stale.example/v1', quality: 'high', format: 'jpeg', n: 1, refs: [] }
    db.prepare('UPDATE jobs SET params = ? WHERE id = ?').run(JSON.stringify(old), 'job_old')
    db.close()
    const store = Store.open(file)
    expect(store.jobs.get('job_old')!.params).toEqual({ provider: 'scripted', prompt: 'the column prompt', quality: 'high', format: 'jpeg', n: 1, refs: [] })
    store.close()
  })
})
