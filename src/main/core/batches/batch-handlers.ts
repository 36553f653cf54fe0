import { ApiError, type batchRoutes } from '../../../shared/api'
import { retriesOnFailed } from '../queue/retry-failed'
import type { JobQueue } from '../queue/job-queue'
import type { Handlers } from '../router'
import { BatchService, type BatchDeps } from './batch-service'

export interface BatchHandlerDeps extends BatchDeps {
  queue: Pick<JobQueue, 'poke' | 'retryJobs' | 'cancelBatch'>
}

/** Every batches.* route: SKU batches from a table, and acting on one batch's jobs in the queue. */
export function createBatchHandlers(deps: BatchHandlerDeps): Pick<Handlers, keyof typeof batchRoutes> {
  const batches = new BatchService(deps)
  return {
    'batches.preview': (input) => batches.preview(input),
    'batches.run': (input) => batches.run(input),
    'batches.status': (input) => batches.status(input.batchId),
    'batches.retryFailed': (input) => {
      // Any batch with jobs, SKU batch or a Generate press at several sizes.
      const jobs = deps.store.jobs.inBatch(input.batchId)
      if (jobs.length === 0) {
        throw new ApiError('not_found', `No batch with id ${input.batchId}.`, { field: 'batchId', fix: 'Pick a batch from the queue.' })
      }
      return { retried: deps.queue.retryJobs(jobs.filter(retriesOnFailed).map((j) => j.id)) }
    },
    'batches.cancel': (input) => ({ canceled: deps.queue.cancelBatch(input.batchId) }),
  }
}
