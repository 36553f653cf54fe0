/**
 * What a gallery listing says about an image's generation: which group it shows in (a Generate
 * press at several sizes, a SKU batch row, one job of n images) and what its job cost, estimated
 * before and charged after. The page and the single-image read agree, and the join keeps paging
 * on its index.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { Store } from '../../../src/main/core/store/store'
import { queryPlan, recordingQueries } from '../../helpers/sqlite'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

const T0 = 1_767_225_600_000

function library(): Store {
  const store = Store.open(join(tempDir('proofsheet-generations-'), 'library.sqlite'))
  store.batches.insert({ id: 'batch_sizes', name: 'Mug at two sizes', budget: null, createdAt: T0 })
  store.batches.insert({ id: 'batch_sku', name: 'Mugs.csv', budget: null, createdAt: T0 })
  store.jobs.insertMany([
    // One Generate press at two sizes: one batch, no table rows.
    newJob({ id: 'job_square', batchId: 'batch_sizes', estimatedCost: 0.04, createdAt: T0 }),
    newJob({ id: 'job_wide', batchId: 'batch_sizes', estimatedCost: 0.06, createdAt: T0 + 1 }),
    // A SKU batch: rows 1 and 2, row 1 at two sizes.
    newJob({ id: 'job_row1_a', batchId: 'batch_sku', batchRow: 1, sku: 'MUG-1', estimatedCost: 0.04, createdAt: T0 + 2 }),
    newJob({ id: 'job_row1_b', batchId: 'batch_sku', batchRow: 1, sku: 'MUG-1', estimatedCost: 0.06, createdAt: T0 + 3 }),
    newJob({ id: 'job_row2', batchId: 'batch_sku', batchRow: 2, sku: 'MUG-2', estimatedCost: 0.04, createdAt: T0 + 4 }),
    // One job of two images, and one whose price the profile did not know.
    newJob({ id: 'job_pair', estimatedCost: 0.08, currency: 'EUR', createdAt: T0 + 5 }),
    newJob({ id: 'job_unpriced', estimatedCost: null, createdAt: T0 + 6 }),
  ])
  const made: Record<string, string[]> = {
    job_square: ['img_square'],
    job_wide: ['img_wide'],
    job_row1_a: ['img_row1_a'],
    job_row1_b: ['img_row1_b'],
    job_row2: ['img_row2'],
    job_pair: ['img_pair_1', 'img_pair_2'],
    job_unpriced: ['img_unpriced'],
  }
  let at = T0 + 100
  for (const [jobId, ids] of Object.entries(made)) {
    expect(store.jobs.claim(jobId, T0 + 10)).toBe(true)
    // One provider call per image; job_pair's two calls charge 0.05 each, job_unpriced reports none.
    const charged = jobId === 'job_pair' ? 0.05 : jobId === 'job_unpriced' ? null : 0.03
    for (const [seq, id] of ids.entries()) expect(store.jobs.recordImages(jobId, [newImage(jobId, { id, seq, createdAt: at++ })], charged, T0 + 20)).toBe(true)
    expect(store.jobs.succeed(jobId, T0 + 30)).toBe(true)
  }
  return store
}

describe('image listings: generation and cost', () => {
  it('groups by Generate press, by SKU batch row, and by job, and carries the job cost', () => {
    const store = library()
    const page = store.images.page({ limit: 50 })
    const byId = new Map(page.images.map((i) => [i.id, i]))
    const group = (id: string): string | undefined => byId.get(id)?.groupId

    expect(group('img_square')).toBe('batch_sizes')
    expect(group('img_wide')).toBe('batch_sizes')
    expect(group('img_row1_a')).toBe(group('img_row1_b'))
    expect(group('img_row1_a')).not.toBe(group('img_row2'))
    expect(group('img_row1_a')).toMatch(/^batch_sku/)
    expect(group('img_pair_1')).toBe('job_pair')
    expect(group('img_pair_2')).toBe('job_pair')
    expect(group('img_unpriced')).toBe('job_unpriced')

    expect(byId.get('img_square')?.jobCost).toEqual({ estimated: 0.04, charged: 0.03, currency: 'USD' })
    expect(byId.get('img_wide')?.jobCost).toEqual({ estimated: 0.06, charged: 0.03, currency: 'USD' })
    expect(byId.get('img_pair_1')?.jobCost.currency).toBe('EUR')
    expect(byId.get('img_pair_1')?.jobCost.charged).toBeCloseTo(0.1)
    // No price in the profile, and the provider reported no charge: both unknown, not zero.
    expect(byId.get('img_unpriced')?.jobCost).toEqual({ estimated: null, charged: null, currency: 'USD' })
    expect(byId.get('img_row2')?.sku).toBe('MUG-2')
    expect(byId.get('img_square')?.sku).toBeNull()

    for (const image of page.images) expect(store.images.listing(image.id)).toEqual(image)
    expect(store.images.listing('img_missing')).toBeUndefined()
    store.close()
  })

  it('says nothing charged yet while the job is still running', () => {
    const store = Store.open(join(tempDir('proofsheet-generations-'), 'library.sqlite'))
    store.jobs.insertMany([newJob({ id: 'job_run', estimatedCost: 0.04 })])
    store.jobs.claim('job_run', T0)
    store.jobs.recordImages('job_run', [newImage('job_run', { id: 'img_run' })], null, T0)
    expect(store.images.listing('img_run')?.jobCost).toEqual({ estimated: 0.04, charged: null, currency: 'USD' })
    store.close()
  })

  it('joins the job by its primary key, keeping the keyset page on the images index', () => {
    const store = library()
    const { db, ran } = recordingQueries(store.db)
    const repo = new ImagesRepo(db)
    const first = repo.page({ limit: 3 })
    repo.page({ limit: 3, after: first.next! })
    repo.page({ limit: 3, after: first.next!, provider: 'scripted' })
    for (const r of ran) {
      const plan = queryPlan(store.db, r.sql, r.args).join('\n')
      expect(plan).toMatch(/SEARCH jobs USING INDEX sqlite_autoindex_jobs_1 \(id=\?\)/)
      expect(plan).not.toMatch(/SCAN images(?! USING)/)
      expect(plan).not.toMatch(/SCAN jobs/)
      expect(plan).not.toMatch(/TEMP B-TREE/)
    }
    store.close()
  })
})
