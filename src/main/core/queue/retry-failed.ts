import { RETRY_FAILED_STATUSES, type JobStatus } from '../../../shared/api'

/** Whether "Retry failed" (batches.retryFailed, queue.retryFailed) brings this job back. */
export function retriesOnFailed(job: { status: JobStatus }): boolean {
  return RETRY_FAILED_STATUSES.includes(job.status)
}
