import { TERMINAL_STATUSES, type JobView } from '../../../shared/api'

/** A line of the Queue list: a job on its own, or the jobs of one generation under a header. */
export type QueueEntry =
  | { kind: 'job'; key: string; job: JobView }
  | { kind: 'batch'; key: string; batchId: string; jobs: JobView[] }

/**
 * Groups the newest-first job list by batch. A group sits where its newest job would, and lists
 * its jobs in the order they were made (the order the sizes were picked); a CSV batch by row first,
 * since rows made in the same millisecond would otherwise interleave.
 */
export function queueEntries(jobs: readonly JobView[]): QueueEntry[] {
  const entries: QueueEntry[] = []
  const groups = new Map<string, JobView[]>()
  for (const job of jobs) {
    if (job.batchId === null) {
      entries.push({ kind: 'job', key: job.id, job })
      continue
    }
    let group = groups.get(job.batchId)
    if (!group) {
      groups.set(job.batchId, (group = []))
      entries.push({ kind: 'batch', key: job.batchId, batchId: job.batchId, jobs: group })
    }
    group.push(job)
  }
  for (const group of groups.values()) {
    group.sort((a, b) => (a.batchRow ?? 0) - (b.batchRow ?? 0) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
  }
  return entries
}

/** Share of the work done: settled jobs count whole, a running one by its elapsed time (capped). */
export function groupProgress(jobs: readonly JobView[], now: number): number {
  if (jobs.length === 0) return 0
  let done = 0
  for (const job of jobs) {
    if (TERMINAL_STATUSES.includes(job.status)) done += 1
    else if (job.status === 'running' && job.startedAt !== null) done += runningShare(job, now)
  }
  return done / jobs.length
}

/** Elapsed against the typical latency, never shown as done until the engine says so. */
export function runningShare(job: Pick<JobView, 'startedAt' | 'typicalLatencyMs'>, now: number): number {
  if (job.startedAt === null) return 0
  return Math.min(0.95, (now - job.startedAt) / Math.max(1, job.typicalLatencyMs))
}
