import type { ReactNode } from 'react'
import { batchShape, batchTitle, type BatchSummary } from '../../../shared/queue/batch-summary'
import type { JobView } from '../../../shared/api'
import { formatMoney } from '../ui/format/money'
import { groupProgress } from './queue-entries'
import { useQueue, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import type { QueueItemNav, RowPlace } from './JobRow'

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

/** Ids the header and its group share (the toggle controls the list, the actions name the title). */
export function batchIds(batchId: string): { title: string; list: string } {
  return { title: `batch-${batchId}-title`, list: `batch-${batchId}-jobs` }
}

/**
 * The header row of one generation (one prompt at several sizes, or a CSV batch): what it is, how
 * far it got, what it cost, and the actions for the whole group. Its jobs are rows of their own.
 */
export function BatchHeader({
  batchId,
  jobs,
  summary,
  now,
  expanded,
  onToggle,
  nav,
  place,
}: {
  batchId: string
  jobs: JobView[]
  summary: BatchSummary
  now: number
  expanded: boolean
  onToggle(): void
  nav: QueueItemNav
  place: Pick<RowPlace, 'ref'>
}): ReactNode {
  const stores = useStores()
  const busy = useQueue((s) => s.busy[batchId] === true)
  const actionError = useQueue((s) => s.rowErrors[batchId])
  const ids = batchIds(batchId)
  const title = batchTitle(summary)

  return (
    <div
      ref={place.ref}
      className="queue-group-header"
      data-queue-item=""
      data-row-key={batchId}
      tabIndex={nav.tabIndex}
      onFocus={nav.onFocus}
      aria-busy={busy}
    >
      <button type="button" className="queue-group-toggle" aria-expanded={expanded} aria-controls={expanded ? ids.list : undefined} onClick={onToggle}>
        <span className="queue-group-chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="queue-group-title" id={ids.title} title={title}>
          {title}
        </span>
        {summary.prompt !== null ? <span className="queue-group-shape">{batchShape(summary)}</span> : null}
      </button>
      <p className="queue-group-counts">{countsText(summary)}</p>
      <p className="queue-group-money">{moneyText(summary)}</p>
      <div className="queue-group-state">
        <progress className="queue-group-progress" max={1} value={groupProgress(jobs, now)} aria-label="Batch progress" aria-describedby={ids.title} />
        <span className="queue-job-actions">
          {summary.cancelable > 0 ? (
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              aria-describedby={ids.title}
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
              aria-describedby={ids.title}
              onClick={() => void stores.queue.getState().retryBatch(batchId)}
            >
              Retry failed
            </button>
          ) : null}
        </span>
      </div>
      {actionError ? (
        <div className="queue-job-note">
          <ErrorNote error={actionError} />
        </div>
      ) : null}
    </div>
  )
}
