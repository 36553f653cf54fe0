/**
 * Jobs that reached a provider, written through the real repositories (claim, record, finish), so
 * spend tests read rows exactly as the queue leaves them.
 */
import type { JobStatus } from '../../src/shared/api'
import type { Store } from '../../src/main/core/store/store'
import { newJob } from './store-rows'

export interface SpentJob {
  id: string
  provider?: string
  keyLabel?: string | null
  batchId?: string | null
  currency?: string
  /** Null: the profile had no price. */
  estimate: number | null
  /** Null: the call's charge is unknown. Ignored for jobs still running. */
  charged?: number | null
  startedAt: number
  status?: Extract<JobStatus, 'succeeded' | 'failed' | 'running'>
}

export function spentJob(store: Store, job: SpentJob): void {
  const provider = job.provider ?? 'scripted'
  store.jobs.insertMany([
    newJob({
      id: job.id,
      provider,
      keyLabel: job.keyLabel ?? null,
      keyEnv: null,
      batchId: job.batchId ?? null,
      currency: job.currency ?? 'USD',
      estimatedCost: job.estimate,
      createdAt: job.startedAt - 1000,
    }),
  ])
  if (!store.jobs.claim(job.id, job.startedAt)) throw new Error(`could not claim ${job.id}`)
  const status = job.status ?? 'succeeded'
  if (status === 'running') return
  const finished = job.startedAt + 5000
  if (status === 'succeeded') {
    store.jobs.recordImages(job.id, [], job.charged === undefined ? job.estimate : job.charged, finished)
    store.jobs.succeed(job.id, finished)
  } else {
    store.jobs.fail(job.id, { kind: 'provider_down', code: null, message: 'down' }, finished)
  }
}
