import { ApiError, type JobStatus } from '../../../shared/api'
import type { Handlers } from '../router'
import type { JobsRepo } from '../store/jobs-repo'
import type { JobQueue } from './job-queue'

/** What "Retry failed" brings back: failures, and jobs a stopped app left unfinished. */
const RETRYABLE: readonly JobStatus[] = ['failed', 'interrupted']

export interface QueueRouteDeps {
  store: { jobs: Pick<JobsRepo, 'inBatch' | 'withStatus'> }
  queue: Pick<JobQueue, 'retryJobs'>
}

/** batches.retryFailed and queue.retryFailed: pick the jobs, then one requeue each. */
export function createQueueHandlers(d: QueueRouteDeps): Pick<Handlers, 'batches.retryFailed' | 'queue.retryFailed'> {
  return {
    'batches.retryFailed': (input) => {
      const jobs = d.store.jobs.inBatch(input.batchId)
      if (jobs.length === 0) {
        throw new ApiError('not_found', `No batch with id ${input.batchId}.`, { field: 'batchId', fix: 'Pick a batch from the queue.' })
      }
      return { retried: d.queue.retryJobs(jobs.filter((j) => RETRYABLE.includes(j.status)).map((j) => j.id)) }
    },
    'queue.retryFailed': () => ({
      retried: d.queue.retryJobs(RETRYABLE.flatMap((status) => d.store.jobs.withStatus(status)).map((j) => j.id)),
    }),
  }
}
