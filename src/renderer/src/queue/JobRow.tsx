import type { CSSProperties, ReactNode } from 'react'
import type { JobView } from '../../../shared/api'
import { tokenChargeText } from '../../../shared/queue/charge-text'
import { formatDuration } from '../ui/format/duration'
import { canCancel, canRetry, errorFix, STATUS_LABELS } from './job-status'
import { formatMoney } from '../ui/format/money'
import { runningShare } from './queue-entries'
import { useQueue, useStores } from '../app/stores-context'
import { HeldNote } from '../spend/BudgetNotes'
import { ErrorNote } from '../ui/ErrorNote'

/** Time and progress for a job, in words: elapsed against the provider's typical latency. */
export function jobTiming(job: JobView, now: number, paused: boolean): { text: string; progress: number | null } {
  if (job.status === 'running' && job.startedAt !== null) {
    const elapsed = `${formatDuration(now - job.startedAt)} of ~${formatDuration(Math.max(1, job.typicalLatencyMs))}`
    return {
      // An async provider has the task: we are asking it, now and then, whether it is done.
      text: job.polling ? `Polling the provider · ${elapsed}` : elapsed,
      progress: runningShare(job, now),
    }
  }
  if (job.status === 'queued' && job.heldReason) return { text: 'Waiting for the budget', progress: null }
  // While the queue is paused nothing starts, retries included: say so rather than "a free slot".
  if (job.status === 'queued' && paused) return { text: 'Paused: waits for Resume all', progress: null }
  if (job.status === 'queued' && job.nextAttemptAt !== null && job.nextAttemptAt > now) {
    return { text: `Retry ${job.attempts + 1} of ${job.maxAttempts} in ${formatDuration(job.nextAttemptAt - now)}`, progress: null }
  }
  if (job.status === 'queued') return { text: 'Waiting for a free slot', progress: null }
  if (job.finishedAt !== null && job.startedAt !== null) {
    return { text: `took ${formatDuration(job.finishedAt - job.startedAt)}`, progress: null }
  }
  return { text: '', progress: null }
}

function jobCost(job: JobView): string {
  // A task failed upstream may be billed although it made nothing: shown beside the charge.
  const tasks = job.failedTasks?.count === 1 ? 'a failed task' : `${job.failedTasks?.count} failed tasks`
  const failed = job.failedTasks ? ` + up to ${formatMoney(job.failedTasks.possibleCost, job.currency)} for ${tasks}` : ''
  const byTokens = tokenChargeText(job, formatMoney)
  if (byTokens) return byTokens
  if (job.chargedCost !== null) return `charged ${formatMoney(job.chargedCost, job.currency)}${failed}`
  return `est. ${formatMoney(job.estimatedCost, job.currency)}`
}

const NAME_PROMPT_CHARS = 24

/** How a job's buttons are named: "Cancel 'red sneaker on a whi…' 1024x1024". */
export function jobActionName(action: string, job: Pick<JobView, 'prompt' | 'size'>): string {
  const flat = job.prompt.replace(/\s+/g, ' ').trim()
  const prompt = flat.length <= NAME_PROMPT_CHARS ? flat : `${flat.slice(0, NAME_PROMPT_CHARS).replace(/[\s,.;:!?-]+$/, '')}…`
  return `${action} '${prompt}' ${job.size}`
}

/** Keyboard navigation of the Queue list: one item is in the tab order, arrows move between items. */
export interface QueueItemNav {
  tabIndex: number
  onFocus(): void
}

/** Where the virtual list puts a row and how it measures it. */
export interface RowPlace {
  ref(element: HTMLElement | null): void
  style?: CSSProperties
  position: number
  setSize: number
}

/** `sharedPrompt`: the row sits under a batch header that already shows its prompt. */
export function JobRow({ job, now, nav, place, sharedPrompt = false }: { job: JobView; now: number; nav: QueueItemNav; place: RowPlace; sharedPrompt?: boolean }): ReactNode {
  const stores = useStores()
  const busy = useQueue((s) => s.busy[job.id] === true)
  const actionError = useQueue((s) => s.rowErrors[job.id])
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const timing = jobTiming(job, now, paused)
  const held = job.status === 'queued' && Boolean(job.heldReason)

  return (
    <li
      ref={place.ref}
      style={place.style}
      className={`queue-job status-${job.status}`}
      aria-busy={busy}
      aria-posinset={place.position}
      aria-setsize={place.setSize}
      data-queue-item=""
      data-row-key={job.id}
      tabIndex={nav.tabIndex}
      onFocus={nav.onFocus}
    >
      <div className="queue-job-line">
        {/* A grouped row says whose size it is, for screen readers (its header shows the prompt). */}
        {sharedPrompt ? <span className="queue-visually-hidden">{job.prompt}</span> : null}
        <p className="queue-job-title" title={sharedPrompt ? undefined : job.prompt}>
          {sharedPrompt ? job.size : job.prompt}
        </p>
        <span className={`queue-badge status-${held ? 'held' : job.status}`}>{held ? 'Held' : STATUS_LABELS[job.status]}</span>
      </div>
      <p className="queue-job-meta">
        {sharedPrompt ? null : <span>{job.size}</span>}
        <span>{job.provider}</span>
        {job.keyLabel ? <span title="The key that pays for this job">key {job.keyLabel}</span> : null}
        <span>{job.format.toUpperCase()}</span>
        <span>{jobCost(job)}</span>
      </p>
      <div className="queue-job-state">
        {timing.text ? <span className="queue-job-timing">{timing.text}</span> : null}
        {job.attempts > 0 ? (
          <span className="queue-job-attempt">
            Attempt {job.attempts} of {job.maxAttempts}
          </span>
        ) : null}
        {timing.progress !== null ? (
          <progress className="queue-job-progress" max={1} value={timing.progress} aria-label={jobActionName('Progress of', job)} />
        ) : null}
        <span className="queue-job-actions">
          {canCancel(job) ? (
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              aria-label={jobActionName('Cancel', job)}
              onClick={() => void stores.queue.getState().cancel(job.id)}
            >
              Cancel
            </button>
          ) : null}
          {canRetry(job) ? (
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              aria-label={jobActionName('Retry', job)}
              onClick={() => void stores.queue.getState().retry(job.id)}
            >
              Retry
            </button>
          ) : null}
        </span>
      </div>
      {held ? (
        <div className="queue-job-note">
          <HeldNote reason={job.heldReason!} />
        </div>
      ) : null}
      {job.failedTasks ? (
        <div className="queue-job-note">
          <p className="queue-job-failed-tasks">{job.failedTasks.note}</p>
        </div>
      ) : null}
      {job.error && job.status !== 'succeeded' ? (
        <div className="queue-job-note">
          <ErrorNote error={{ message: job.error.message, fix: errorFix(job.error) }} />
        </div>
      ) : null}
      {actionError ? (
        <div className="queue-job-note">
          <ErrorNote error={actionError} />
        </div>
      ) : null}
    </li>
  )
}
