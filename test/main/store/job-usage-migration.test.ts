/**
 * The job-usage migration (N-1, insert, N, compare). Its number may change when branches merge:
 * everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0009 as migrationJobUsage } from '../../../src/main/core/store/migrations/0009-job-usage'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { JobsRepo } from '../../../src/main/core/store/jobs-repo'
import { openAtVersion } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationJobUsage.version
const usage = (output: number) => ({ inputTokens: 9, inputTextTokens: 9, inputImageTokens: 0, outputTokens: output, totalTokens: 9 + output })

describe(`${String(V).padStart(4, '0')}-job-usage`, () => {
  it('keeps old jobs (no usage, basis unknown) and sums usage and charges over the calls of a new one', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    before
      .prepare(
        `INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status, max_attempts,
          estimated_cost, charged_cost, charge_known, currency, created_at, updated_at)
        VALUES ('job_old', NULL, 'openai', '{}', '{"width":1024,"height":1024}', '1024x1024', 'old job', 'succeeded', 4, 0.22, 0.22, 1, 'USD', 1, 1)`,
      )
      .run()
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    expect(jobs.get('job_old')).toMatchObject({ chargedCost: 0.22, usage: null, chargeBasis: null, chargeSource: null })

    jobs.insertMany([
      {
        id: 'job_new', batchId: null, provider: 'openai', params: { quality: 'auto', format: 'png', n: 6, refs: [] },
        size: { width: 1024, height: 1024 }, prompt: 'p', maxAttempts: 4, estimatedCost: 1.32, currency: 'USD',
        keyId: null, keyEnv: null, keyLabel: null, baseUrl: null, createdAt: 3,
      },
    ])
    expect(jobs.claim('job_new', 4)).toBe(true)
    const source = 'OpenAI token prices (read 2026-12-07)'
    jobs.recordImages('job_new', [], { amount: 0.1, basis: 'tokens', source, usage: usage(4000) }, 5)
    jobs.recordImages('job_new', [], { amount: 0.05, basis: 'tokens', source, usage: usage(2000) }, 6)
    expect(jobs.get('job_new')!.chargedCost).toBeCloseTo(0.15, 9)
    expect(jobs.get('job_new')).toMatchObject({
      chargeBasis: 'tokens',
      chargeSource: source,
      usage: { inputTokens: 18, inputTextTokens: 18, inputImageTokens: 0, outputTokens: 6000, totalTokens: 6018 },
    })
    // A call charged on another basis makes the job's basis "mixed"; its usage stays.
    jobs.recordImages('job_new', [], { amount: 0.22, basis: 'table', source: null, usage: null }, 7)
    expect(jobs.get('job_new')).toMatchObject({ chargeBasis: 'mixed', chargeSource: source, usage: { outputTokens: 6000 } })
    db.close()
  })
})
