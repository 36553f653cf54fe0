import type { EventMessage, JobView } from '../api'
import { BatchFinishWatcher, type BatchNotice } from './batch-summary'
import { WorkProgressTracker, type WorkProgress } from './work-progress'

export interface QueueActivityListener {
  /** The progress of the work in flight changed (null: idle), or the queue was paused or resumed. */
  progress(progress: WorkProgress | null, paused: boolean): void
  batchFinished(notice: BatchNotice): void
  /** New work became active while we watched (a job queued, retried or released): older news is stale. */
  workStarted?(): void
}

/**
 * Engine events in, "show progress" and "announce this batch" out: the one place that feeds the
 * progress tracker and the batch watcher, for the Electron main process and the browser page alike.
 */
export class QueueActivity {
  private readonly tracker = new WorkProgressTracker()
  private readonly batches = new BatchFinishWatcher()
  /** Jobs an event told us about: a job list read earlier may be older than the event. */
  private readonly seen = new Set<string>()
  private paused = false
  private last: WorkProgress | null = null

  constructor(private readonly listener: QueueActivityListener) {}

  handle(message: EventMessage): void {
    if (message.event === 'queue.changed') {
      if (message.data.paused === this.paused) return
      this.paused = message.data.paused
      this.listener.progress(this.last, this.paused)
      return
    }
    if (message.event !== 'job.updated') return
    this.seen.add(message.data.id)
    this.take(message.data)
  }

  /**
   * Jobs a call answered with (Generate's reply): events about them may have arrived first and
   * are newer (the engine announces, starts or holds a job before the reply reaches the page),
   * so only jobs no event has told us about yet are taken.
   */
  replied(jobs: readonly JobView[]): void {
    for (const job of jobs) {
      if (this.seen.has(job.id)) continue
      this.seen.add(job.id)
      this.take(job)
    }
  }

  /** Jobs read from a list (at start or after a reconnect); rows events already updated are skipped. */
  seed(jobs: readonly JobView[], paused?: boolean): void {
    if (paused !== undefined) this.paused = paused
    for (const job of jobs) if (!this.seen.has(job.id)) this.take(job, { announce: false })
    this.listener.progress(this.last, this.paused)
  }

  get progress(): WorkProgress | null {
    return this.last
  }

  private take(job: JobView, opts: { announce: boolean } = { announce: true }): void {
    const before = this.last
    const wasActive = this.tracker.isActive(job.id)
    this.last = this.tracker.update(job)
    if (opts.announce && !wasActive && this.tracker.isActive(job.id)) this.listener.workStarted?.()
    const notice = this.batches.update(job)
    if (notice && opts.announce) this.listener.batchFinished(notice)
    if (opts.announce && !sameProgress(before, this.last)) this.listener.progress(this.last, this.paused)
  }
}

function sameProgress(a: WorkProgress | null, b: WorkProgress | null): boolean {
  return a === b || (a !== null && b !== null && a.done === b.done && a.total === b.total)
}
