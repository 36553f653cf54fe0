import type { JobStatus } from '../../../shared/api'

/**
 * What "Retry failed" brings back, for one batch (batches.retryFailed) or the whole queue
 * (queue.retryFailed): failures, and jobs a stopped app left unfinished. Canceled jobs were
 * stopped on purpose and stay so; each can still be retried on its own (jobs.retry).
 */
export const RETRY_FAILED_STATUSES: readonly JobStatus[] = ['failed', 'interrupted']

export function retriesOnFailed(job: { status: JobStatus }): boolean {
  return RETRY_FAILED_STATUSES.includes(job.status)
}
