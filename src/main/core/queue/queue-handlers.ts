import { RETRY_FAILED_STATUSES, type queueRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import type { JobQueue } from './job-queue'

export interface QueueHandlerDeps {
  store: Pick<Store, 'jobs'>
  queue: Pick<JobQueue, 'state' | 'pause' | 'resume' | 'clearFinished' | 'retryJobs'>
}

/** The queue.* routes: the queue as a whole (one batch's jobs are batches.*, one job's are jobs.*). */
export function createQueueHandlers(deps: QueueHandlerDeps): Pick<Handlers, keyof typeof queueRoutes> {
  return {
    'queue.state': () => deps.queue.state(),
    'queue.pause': () => deps.queue.pause(),
    'queue.resume': () => deps.queue.resume(),
    'queue.clearFinished': () => {
      deps.queue.clearFinished()
      return { ok: true as const }
    },
    'queue.retryFailed': () => ({
      retried: deps.queue.retryJobs(RETRY_FAILED_STATUSES.flatMap((status) => deps.store.jobs.withStatus(status)).map((j) => j.id)),
    }),
  }
}
