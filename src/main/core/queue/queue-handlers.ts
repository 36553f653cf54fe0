import type { queueRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import { RETRY_FAILED_STATUSES } from './retry-failed'
import type { JobQueue } from './job-queue'

export interface QueueHandlerDeps {
  store: Pick<Store, 'jobs'>
  queue: Pick<JobQueue, 'state' | 'pause' | 'resume' | 'clearFinished' | 'retryJobs'>
}

/** The queue.* routes: the queue as a whole (one batch's jobs are batches.*, one job's are jobs.*). */
export function createQueueHandlers(d: QueueHandlerDeps): Pick<Handlers, keyof typeof queueRoutes> {
  return {
    'queue.state': () => d.queue.state(),
    'queue.pause': () => d.queue.pause(),
    'queue.resume': () => d.queue.resume(),
    'queue.clearFinished': () => {
      d.queue.clearFinished()
      return { ok: true as const }
    },
    'queue.retryFailed': () => ({
      retried: d.queue.retryJobs(RETRY_FAILED_STATUSES.flatMap((status) => d.store.jobs.withStatus(status)).map((j) => j.id)),
    }),
  }
}
