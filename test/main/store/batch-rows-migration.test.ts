/**
 * The batch-rows migration (N-1, insert, N, compare). Its number may change when branches merge:
 * everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0006 as migrationBatchRows } from '../../../src/main/core/store/migrations/0006-batch-rows'
import { BatchesRepo } from '../../../src/main/core/store/batches-repo'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { JobsRepo } from '../../../src/main/core/store/jobs-repo'
import { openAtVersion } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationBatchRows.version

describe(`${String(V).padStart(4, '0')}-batch-rows`, () => {
  it('keeps existing batches and jobs (no SKU, no row) and stores both for new ones', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    before.prepare(`INSERT INTO batches (id, name, budget, created_at) VALUES ('batch_old', 'old prompt', NULL, 1)`).run()
    before
      .prepare(
        `INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status, max_attempts,
          estimated_cost, currency, created_at, updated_at)
        VALUES ('job_old', 'batch_old', 'demo', '{}', '{"width":64,"height":64}', '64x64', 'old job', 'succeeded', 4, 0, 'USD', 1, 1)`,
      )
      .run()
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    expect(jobs.get('job_old')).toMatchObject({ batchId: 'batch_old', sku: null, batchRow: null })
    const batches = new BatchesRepo(db)
    expect(batches.get('batch_old')).toEqual({ id: 'batch_old', name: 'old prompt', budget: null, templateName: null, sourceName: null, createdAt: 1 })

    batches.insert({ id: 'batch_new', name: 'Packshot × rows.csv', budget: 5, templateName: 'Packshot', sourceName: 'rows.csv', createdAt: 2 })
    jobs.insertMany([
      {
        id: 'job_new', batchId: 'batch_new', provider: 'demo', params: { quality: 'auto', format: 'png', n: 1, refs: [] },
        size: { width: 64, height: 64 }, prompt: 'p', maxAttempts: 4, estimatedCost: 0, currency: 'USD',
        keyId: null, keyEnv: null, keyLabel: null, baseUrl: null, createdAt: 3, sku: 'K-1', batchRow: 7,
      },
    ])
    expect(jobs.get('job_new')).toMatchObject({ sku: 'K-1', batchRow: 7 })
    expect(jobs.skusOf(['job_new', 'job_old', 'job_missing'])).toEqual(new Map([['job_new', 'K-1']]))
    expect(batches.get('batch_new')).toMatchObject({ templateName: 'Packshot', sourceName: 'rows.csv', budget: 5 })
    db.close()
  })
})
