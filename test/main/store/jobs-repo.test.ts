/**
 * Job state changes are single guarded UPDATEs: whoever comes second (a second claim, a finish
 * racing a cancel) gets `false` and changes nothing.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobStatus } from '../../../src/shared/api'
import { Store } from '../../../src/main/core/store/store'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

const T0 = 1_741_944_600_000
const error = { kind: 'retryable' as const, code: 'rate_limited', message: 'Too many requests' }

function openStore(): Store {
  const store = Store.open(join(tempDir('proofsheet-jobs-'), 'library.sqlite'))
  return store
}

/** A store with one job in `status`, reached through the repo's own transitions. */
function jobIn(status: JobStatus): { store: Store; id: string } {
  const store = openStore()
  const id = `job_${status}`
  store.jobs.insertMany([newJob({ id })])
  const now = T0 + 10
  if (status !== 'queued') expect(store.jobs.claim(id, now)).toBe(true)
  if (status === 'succeeded') expect(store.jobs.succeed(id, now)).toBe(true)
  if (status === 'failed') expect(store.jobs.fail(id, { ...error, kind: 'input' }, now)).toBe(true)
  if (status === 'canceled') expect(store.jobs.cancel(id, now)).toBe(true)
  if (status === 'interrupted') expect(store.jobs.interrupt(id, 'stopped mid-call', now)).toBe(true)
  expect(store.jobs.get(id)?.status).toBe(status)
  return { store, id }
}

describe('JobsRepo', () => {
  it('stores a new job as queued, with its estimate and no charge yet', () => {
    const store = openStore()
    store.jobs.insertMany([newJob({ id: 'job_a', estimatedCost: 0.12 })])
    const job = store.jobs.get('job_a')!
    expect(job).toMatchObject({ status: 'queued', attempts: 0, estimatedCost: 0.12, chargedCost: null, currency: 'USD' })
    expect(job.params.prompt).toBe(newJob().prompt)
    expect(job.size).toEqual({ width: 1024, height: 1024 })
    store.close()
  })

  it('lets only one claim win; the winner counts an attempt', () => {
    const { store, id } = jobIn('queued')
    expect(store.jobs.claim(id, T0 + 1)).toBe(true)
    expect(store.jobs.claim(id, T0 + 2)).toBe(false)
    expect(store.jobs.get(id)).toMatchObject({ status: 'running', attempts: 1, startedAt: T0 + 1 })
    store.close()
  })

  it('a second Store on the same file (another process) cannot claim what the first took', () => {
    const { store, id } = jobIn('queued')
    const other = Store.open(store.db.name)
    expect(store.jobs.claim(id, T0)).toBe(true)
    expect(other.jobs.claim(id, T0)).toBe(false)
    other.close()
    store.close()
  })

  it('cancel wins against a finish that comes after it, and the finish changes nothing', () => {
    const { store, id } = jobIn('running')
    expect(store.jobs.cancel(id, T0 + 20)).toBe(true)
    expect(store.jobs.succeed(id, T0 + 21)).toBe(false)
    expect(store.jobs.fail(id, error, T0 + 21)).toBe(false)
    expect(store.jobs.retryLater(id, error, T0 + 5000, T0 + 21)).toBe(false)
    expect(store.jobs.get(id)).toMatchObject({ status: 'canceled', finishedAt: T0 + 20, errorKind: null })
    store.close()
  })

  it('a finish wins against a cancel that comes after it', () => {
    const { store, id } = jobIn('running')
    expect(store.jobs.succeed(id, T0 + 20)).toBe(true)
    expect(store.jobs.cancel(id, T0 + 21)).toBe(false)
    expect(store.jobs.get(id)).toMatchObject({ status: 'succeeded', chargedCost: 0 })
    store.close()
  })

  it('records images and their cost per call while running, and nothing after a cancel', () => {
    const { store, id } = jobIn('running')
    expect(store.jobs.recordImages(id, [newImage(id, { id: 'img_1', seq: 0 })], 0.04, T0 + 30)).toBe(true)
    expect(store.jobs.recordImages(id, [newImage(id, { id: 'img_2', seq: 1 })], 0.04, T0 + 31)).toBe(true)
    expect(store.jobs.get(id)?.chargedCost).toBeCloseTo(0.08, 9)

    expect(store.jobs.cancel(id, T0 + 40)).toBe(true)
    expect(store.jobs.recordImages(id, [newImage(id, { id: 'img_3', seq: 2 })], 0.04, T0 + 41)).toBe(false)
    expect(store.images.get('img_3')).toBeUndefined()
    expect(store.jobs.imageCount(id)).toBe(2)
    expect(store.jobs.get(id)?.chargedCost).toBeCloseTo(0.08, 9)
    store.close()
  })

  it('records nothing for a job that is not running yet', () => {
    const { store, id } = jobIn('queued')
    expect(store.jobs.recordImages(id, [newImage(id)], 0.04, T0)).toBe(false)
    expect(store.jobs.imageCount(id)).toBe(0)
    expect(store.jobs.get(id)?.chargedCost).toBeNull()
    store.close()
  })

  it('records all images of a call or none (a duplicate seq rolls the whole call back)', () => {
    const { store, id } = jobIn('running')
    store.jobs.recordImages(id, [newImage(id, { seq: 0 })], 0.04, T0)
    expect(() => store.jobs.recordImages(id, [newImage(id, { seq: 1 }), newImage(id, { seq: 0 })], 0.08, T0)).toThrow(
      /UNIQUE/,
    )
    expect(store.jobs.imageCount(id)).toBe(1)
    expect(store.jobs.get(id)?.chargedCost).toBeCloseTo(0.04, 9)
    store.close()
  })

  it('a failed job says why and costs what its recorded calls cost (nothing, if none)', () => {
    const { store, id } = jobIn('running')
    expect(store.jobs.fail(id, { kind: 'billing', code: 'insufficient_quota', message: 'Top up your account' }, T0 + 5)).toBe(true)
    expect(store.jobs.get(id)).toMatchObject({
      status: 'failed',
      errorKind: 'billing',
      errorCode: 'insufficient_quota',
      errorMessage: 'Top up your account',
      chargedCost: 0,
      finishedAt: T0 + 5,
    })
    store.close()
  })

  it('retryLater puts a running job back with the time of its next attempt', () => {
    const { store, id } = jobIn('running')
    expect(store.jobs.retryLater(id, error, T0 + 8000, T0 + 5)).toBe(true)
    expect(store.jobs.get(id)).toMatchObject({ status: 'queued', nextAttemptAt: T0 + 8000, errorCode: 'rate_limited' })
    expect(store.jobs.runnable(T0 + 7999, 10)).toEqual([])
    expect(store.jobs.runnable(T0 + 8000, 10).map((j) => j.id)).toEqual([id])
    expect(store.jobs.nextWakeAfter(T0 + 5)).toBe(T0 + 8000)
    store.close()
  })

  describe('requeue (the Retry button)', () => {
    it.each(['failed', 'canceled', 'interrupted'] as const)('brings a %s job back with a fresh attempt count', (status) => {
      const { store, id } = jobIn(status)
      expect(store.jobs.requeue(id, T0 + 100)).toBe(true)
      expect(store.jobs.get(id)).toMatchObject({
        status: 'queued',
        attempts: 0,
        nextAttemptAt: null,
        remoteTaskId: null,
        errorKind: null,
        errorMessage: null,
        finishedAt: null,
      })
      store.close()
    })

    it('keeps a task id the job still has: that task may yet finish and be billed, so Retry follows it', () => {
      const store = openStore()
      store.jobs.insertMany([newJob({ id: 'job_t' })])
      expect(store.jobs.claim('job_t', T0)).toBe(true)
      store.jobs.setRemoteTask('job_t', 'task-still-running', T0)
      // Five failed status checks in a row on the last attempt: the job fails, the task lives on.
      expect(store.jobs.fail('job_t', { kind: 'provider_down', code: 'server_error', message: 'status checks failed' }, T0 + 1)).toBe(true)
      expect(store.jobs.requeue('job_t', T0 + 2)).toBe(true)
      expect(store.jobs.get('job_t')).toMatchObject({ status: 'queued', remoteTaskId: 'task-still-running', errorCode: null })
      store.close()
    })

    it.each(['queued', 'running', 'succeeded'] as const)('refuses a %s job and leaves it as it was', (status) => {
      const { store, id } = jobIn(status)
      const before = store.jobs.get(id)
      expect(store.jobs.requeue(id, T0 + 100)).toBe(false)
      expect(store.jobs.get(id)).toEqual(before)
      store.close()
    })
  })

  it('cancels a whole batch but not the jobs in it that already finished', () => {
    const store = openStore()
    store.batches.insert({ id: 'batch_1', name: 'sku run', budget: null, createdAt: T0 })
    store.jobs.insertMany([
      newJob({ id: 'job_1', batchId: 'batch_1', createdAt: T0 }),
      newJob({ id: 'job_2', batchId: 'batch_1', createdAt: T0 + 1 }),
      newJob({ id: 'job_3', batchId: 'batch_1', createdAt: T0 + 2 }),
    ])
    store.jobs.claim('job_1', T0)
    store.jobs.succeed('job_1', T0)
    store.jobs.claim('job_2', T0)
    expect(store.jobs.cancelBatch('batch_1', T0 + 9)).toBe(2)
    expect(store.jobs.inBatch('batch_1').map((j) => j.status)).toEqual(['succeeded', 'canceled', 'canceled'])
    store.close()
  })

  it('counts jobs per status and clears finished jobs that produced nothing', () => {
    const store = openStore()
    store.jobs.insertMany([newJob({ id: 'job_q' }), newJob({ id: 'job_f' }), newJob({ id: 'job_fi' }), newJob({ id: 'job_c' })])
    for (const id of ['job_f', 'job_fi']) {
      store.jobs.claim(id, T0)
    }
    store.jobs.recordImages('job_fi', [newImage('job_fi')], 0.04, T0)
    store.jobs.fail('job_f', error, T0)
    store.jobs.fail('job_fi', error, T0)
    store.jobs.cancel('job_c', T0)
    expect(store.jobs.counts()).toEqual({ queued: 1, running: 0, succeeded: 0, failed: 2, canceled: 1, interrupted: 0 })
    expect(store.jobs.clearFinished()).toBe(2)
    // The failed job that has an image keeps its history: the image points at it.
    expect(store.jobs.get('job_fi')?.status).toBe('failed')
    expect(store.jobs.get('job_f')).toBeUndefined()
    expect(store.jobs.get('job_c')).toBeUndefined()
    store.close()
  })
})
