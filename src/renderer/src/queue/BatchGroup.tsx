import type { ReactNode } from 'react'
import type { JobView } from '../../../shared/api'
import { summarizeBatch, type BatchSummary } from '../../../shared/queue/batch-summary'
import { formatMoney } from '../ui/format/money'
import { groupProgress } from './queue-entries'
import { useQueue, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { JobRow, type QueueItemNav } from './JobRow'

function countsText(s: BatchSummary): string {
  const parts = [`${s.succeeded} done`]
  if (s.failed > 0) parts.push(`${s.failed} failed`)
  if (s.canceled > 0) parts.push(`${s.canceled} canceled`)
  if (s.remaining > 0) parts.push(`${s.remaining} remaining`)
  if (s.held > 0) parts.push(`${s.held} held by a budget`)
  return parts.join(' · ')
}

function moneyText(s: BatchSummary): string {
  const estimate = s.estimated === null ? 'estimate incomplete (a size has no price)' : `est. ${formatMoney(s.estimated, s.currency)}`
  return `${estimate} · charged ${formatMoney(s.charged, s.currency)}`
}

/**
 * The jobs of one generation (one prompt at several sizes, or a CSV batch) under one header:
 * what it is, how far it got, what it cost, and the actions for the whole group.
 */
export function BatchGroup({
  batchId,
  jobs,
  now,
  expanded,
  onToggle,
  nav,
  navFor,
}: {
  batchId: string
  jobs: JobView[]
  now: number
  expanded: boolean
  onToggle(): void
  nav: QueueItemNav
  navFor(key: string): QueueItemNav
}): ReactNode {
  const stores = useStores()
  const busy = useQueue((s) => s.busy[batchId] === true)
  const actionError = useQueue((s) => s.rowErrors[batchId])
  const summary = summarizeBatch(jobs)
  const titleId = `batch-${batchId}-title`
  const listId = `batch-${batchId}-jobs`
  const title = summary.prompt ?? `Batch of ${summary.total} jobs`
  const progress = groupProgress(jobs, now)

  return (
    <li className="batch-group" aria-labelledby={titleId} aria-busy={busy}>
      <div className="batch-header" data-queue-item="" tabIndex={nav.tabIndex} onFocus={nav.onFocus}>
        <button
          type="button"
          className="batch-toggle"
          aria-expanded={expanded}
          aria-controls={expanded ? listId : undefined}
          onClick={onToggle}
        >
          <span className="batch-chevron" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          <span className="batch-title" id={titleId} title={title}>
            {title}
          </span>
          <span className="batch-size">
            {summary.total} {summary.total === 1 ? 'size' : 'sizes'}
          </span>
        </button>
        <p className="batch-counts">{countsText(summary)}</p>
        <p className="batch-money">{moneyText(summary)}</p>
        <progress className="batch-progress" max={1} value={progress} aria-label="Batch progress" aria-describedby={titleId} />
        <div className="job-actions">
          {summary.cancelable > 0 ? (
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              aria-describedby={titleId}
              onClick={() => void stores.queue.getState().cancelBatch(batchId)}
            >
              Cancel the rest
            </button>
          ) : null}
          {summary.retryable > 0 ? (
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              aria-describedby={titleId}
              onClick={() => void stores.queue.getState().retryBatch(batchId)}
            >
              Retry failed
            </button>
          ) : null}
        </div>
        {actionError ? (
          <div className="job-error">
            <ErrorNote error={actionError} />
          </div>
        ) : null}
      </div>
      {expanded ? (
        <ul className="batch-jobs" id={listId} aria-label={`Jobs of ${title}`}>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} now={now} nav={navFor(job.id)} sharedPrompt={summary.prompt !== null} />
          ))}
        </ul>
      ) : null}
    </li>
  )
}
