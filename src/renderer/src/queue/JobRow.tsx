import type { ReactNode } from 'react'
import type { JobView } from '../../../shared/api'
import { formatDuration } from '../ui/format/duration'
import { canCancel, canRetry, errorFix, STATUS_LABELS } from './job-status'
import { formatMoney } from '../ui/format/money'
import { runningShare } from './queue-entries'
import { useQueue, useStores } from '../app/stores-context'
import { HeldNote } from '../spend/BudgetNotes'
import { ErrorNote } from '../ui/ErrorNote'

/** Time and progress for a job, in words: elapsed against the provider's typical latency. */
function jobTiming(job: JobView, now: number): { text: string; progress: number | null } {
  if (job.status === 'running' && job.startedAt !== null) {
    const elapsed = `${formatDuration(now - job.startedAt)} of ~${formatDuration(Math.max(1, job.typicalLatencyMs))}`
    return {
      // An async provider has the task: we are asking it, now and then, whether it is done.
      text: job.polling ? `Polling the provider · ${elapsed}` : elapsed,
      progress: runningShare(job, now),
    }
  }
  if (job.status === 'queued' && job.nextAttemptAt !== null && job.nextAttemptAt > now) {
    return { text: `Retry ${job.attempts + 1} of ${job.maxAttempts} in ${formatDuration(job.nextAttemptAt - now)}`, progress: null }
  }
  if (job.status === 'queued' && job.heldReason) return { text: 'Waiting for the budget', progress: null }
  if (job.status === 'queued') return { text: 'Waiting for a free slot', progress: null }
  if (job.finishedAt !== null && job.startedAt !== null) {
    return { text: `took ${formatDuration(job.finishedAt - job.startedAt)}`, progress: null }
  }
  return { text: '', progress: null }
}

function jobCost(job: JobView): string {
  if (job.chargedCost !== null) return `charged ${formatMoney(job.chargedCost, job.currency)}`
  return `est. ${formatMoney(job.estimatedCost, job.currency)}`
}

/** Keyboard navigation of the Queue list: one item is in the tab order, arrows move between items. */
export interface QueueItemNav {
  tabIndex: number
  onFocus(): void
}

/** `sharedPrompt`: the row sits in a batch header that already shows its prompt. */
export function JobRow({ job, now, nav, sharedPrompt = false }: { job: JobView; now: number; nav: QueueItemNav; sharedPrompt?: boolean }): ReactNode {
  const stores = useStores()
  const busy = useQueue((s) => s.busy[job.id] === true)
  const actionError = useQueue((s) => s.rowErrors[job.id])
  const timing = jobTiming(job, now)
  const promptId = `job-${job.id}-prompt`
  const sizeId = `job-${job.id}-size`
  // Actions name the job by prompt and size: a batch has one prompt at several sizes.
  const describedBy = `${promptId} ${sizeId}`

  return (
    <li
      className={`job-row status-${job.status}`}
      aria-busy={busy}
      data-queue-item=""
      tabIndex={nav.tabIndex}
      onFocus={nav.onFocus}
    >
      <div className="job-summary">
        {/* Kept for screen readers in a batch: the row's buttons are described by it. */}
        <p className={sharedPrompt ? 'job-prompt visually-hidden' : 'job-prompt'} id={promptId} title={job.prompt}>
          {job.prompt}
        </p>
        {sharedPrompt ? (
          <p className="job-prompt" id={sizeId}>
            {job.size}
          </p>
        ) : null}
        <p className="job-meta">
          {sharedPrompt ? null : <span id={sizeId}>{job.size}</span>}
          <span>{job.provider}</span>
          {job.keyLabel ? <span title="The key that pays for this job">key {job.keyLabel}</span> : null}
          <span>{job.format.toUpperCase()}</span>
          <span>{jobCost(job)}</span>
        </p>
      </div>
      <div className="job-state">
        <span className={`status-badge status-${job.heldReason ? 'held' : job.status}`}>
          {job.heldReason ? 'Held' : STATUS_LABELS[job.status]}
        </span>
        {timing.text ? <span className="job-timing">{timing.text}</span> : null}
        {job.attempts > 0 ? (
          <span className="job-attempt">
            Attempt {job.attempts} of {job.maxAttempts}
          </span>
        ) : null}
        {timing.progress !== null ? (
          <progress className="job-progress" max={1} value={timing.progress} aria-label="Progress" aria-describedby={describedBy} />
        ) : null}
      </div>
      <div className="job-actions">
        {canCancel(job) ? (
          <button type="button" className="button-quiet" disabled={busy} aria-describedby={describedBy} onClick={() => void stores.queue.getState().cancel(job.id)}>
            Cancel
          </button>
        ) : null}
        {canRetry(job) ? (
          <button type="button" className="button-quiet" disabled={busy} aria-describedby={describedBy} onClick={() => void stores.queue.getState().retry(job.id)}>
            Retry
          </button>
        ) : null}
      </div>
      {job.heldReason ? (
        <div className="job-error">
          <HeldNote reason={job.heldReason} />
        </div>
      ) : null}
      {job.error && job.status !== 'succeeded' ? (
        <div className="job-error">
          <ErrorNote error={{ message: job.error.message, fix: errorFix(job.error) }} />
        </div>
      ) : null}
      {actionError ? (
        <div className="job-error">
          <ErrorNote error={actionError} />
        </div>
      ) : null}
    </li>
  )
}
