import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { JobStatus } from '../../../shared/api'
import { pluralWord } from '../../../shared/format/plural'
import { STATUS_LABELS } from './job-status'
import { queueEntries } from './queue-entries'
import { useNow } from '../ui/hooks/use-now'
import { useQueue, useStores } from '../app/stores-context'
import './queue.css'
import { BatchNotifyToggle } from './BatchNotifyToggle'
import { ErrorNote } from '../ui/ErrorNote'
import { libraryFix } from '../ui/format/remedy-words'
import { QueueList } from './QueueList'
import { queueRows } from './queue-rows'

const COUNT_ORDER: JobStatus[] = ['running', 'queued', 'interrupted', 'failed', 'succeeded', 'canceled']

/** The whole queue's counts, as the engine keeps them (not just the rows loaded so far). */
function QueueCounts(): ReactNode {
  const counts = useQueue((s) => s.queue?.counts)
  const held = useQueue((s) => s.queue?.held ?? 0)
  if (!counts) return null
  // Held jobs are queued jobs a budget keeps back: counted once, as held.
  const count = (status: JobStatus): number => (counts[status] ?? 0) - (status === 'queued' ? held : 0)
  const parts = COUNT_ORDER.filter((status) => count(status) > 0).map((status) => `${count(status)} ${STATUS_LABELS[status].toLowerCase()}`)
  if (held > 0) parts.push(`${held} held by a budget`)
  return <p className="queue-counts">{parts.length > 0 ? parts.join(' · ') : 'Idle'}</p>
}

/** Why the queue is paused: by the user, or by itself because the library disk cannot take writes. */
function PausedNote(): ReactNode {
  const reason = useQueue((s) => s.queue?.pauseReason ?? null)
  if (!reason) return <p className="notice">The queue is paused: queued jobs wait until you press Resume all.</p>
  return (
    <p className="notice" role="alert">
      The queue paused itself: {reason.message} {libraryFix(reason.code)}
    </p>
  )
}

function PauseToggle(): ReactNode {
  const stores = useStores()
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const known = useQueue((s) => s.queue !== null)
  return (
    <button
      type="button"
      className="button-quiet"
      disabled={!known}
      onClick={() => void (paused ? stores.queue.getState().resume() : stores.queue.getState().pause())}
    >
      {paused ? 'Resume all' : 'Pause all'}
    </button>
  )
}

/** Retry all failed, and Clear finished after a confirmation: cleared jobs can no longer be retried. */
function BulkActions(): ReactNode {
  const stores = useStores()
  const counts = useQueue((s) => s.queue?.counts)
  const [confirming, setConfirming] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const failed = (counts?.failed ?? 0) + (counts?.interrupted ?? 0)
  const clearable = (counts?.failed ?? 0) + (counts?.canceled ?? 0)

  useEffect(() => {
    if (confirming) confirmRef.current?.focus()
  }, [confirming])
  useEffect(() => {
    if (clearable === 0) setConfirming(false)
  }, [clearable])

  return (
    <>
      <button type="button" className="button-quiet" disabled={failed === 0} onClick={() => void stores.queue.getState().retryAllFailed()}>
        Retry all failed
      </button>
      <button type="button" className="button-quiet" disabled={clearable === 0 || confirming} onClick={() => setConfirming(true)}>
        Clear finished
      </button>
      {confirming ? (
        <div
          className="confirm-bar"
          role="group"
          aria-labelledby="queue-clear-question"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return
            // Escape answers the question; it must not also close the queue drawer around it.
            event.preventDefault()
            setConfirming(false)
          }}
        >
          <p id="queue-clear-question">
            Remove {clearable} failed and canceled {pluralWord(clearable, 'job')} from the queue? They can no longer be retried. Jobs with
            images stay.
          </p>
          <button
            ref={confirmRef}
            type="button"
            className="button-quiet button-danger"
            onClick={() => {
              setConfirming(false)
              void stores.queue.getState().clearFinished()
            }}
          >
            Remove them
          </button>
          <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </div>
      ) : null}
    </>
  )
}

/** The last batch that finished while this page was open, said in the region (and to screen readers). */
function BatchFinishedNote(): ReactNode {
  const notice = useQueue((s) => s.lastBatchNotice)
  return (
    <p className="batch-finished" role="status">
      {notice ? (
        <>
          <strong>{notice.title}</strong> {notice.body}
        </>
      ) : null}
    </p>
  )
}

/**
 * The Queue region: counts (the engine's, for the whole queue), queue-wide actions and notes, and
 * the list of jobs and groups, which fills the space it is given and scrolls inside it.
 */
export function QueuePanel(): ReactNode {
  const stores = useStores()
  const status = useQueue((s) => s.status)
  const error = useQueue((s) => s.error)
  const jobs = useQueue((s) => s.jobs)
  const hasMore = useQueue((s) => s.next !== null)
  const loadingMore = useQueue((s) => s.loadingMore)
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const queueError = useQueue((s) => s.queueError)
  const now = useNow(jobs.some((job) => job.status === 'running' || (job.status === 'queued' && job.nextAttemptAt !== null)))
  const [collapsed, setCollapsed] = useState<Record<string, true>>({})

  const entries = useMemo(() => queueEntries(jobs), [jobs])
  const rows = useMemo(() => queueRows(entries, collapsed), [entries, collapsed])
  const toggle = useCallback((batchId: string): void => {
    setCollapsed(({ [batchId]: wasCollapsed, ...rest }) => (wasCollapsed ? rest : { ...rest, [batchId]: true }))
  }, [])
  const loadMore = useCallback(() => void stores.queue.getState().loadMore(), [stores])

  return (
    <section className="panel queue-panel" aria-label="Queue">
      <header className="panel-header">
        <h2>Queue</h2>
        <QueueCounts />
        <div className="queue-actions">
          <BulkActions />
          <PauseToggle />
        </div>
      </header>
      <BatchNotifyToggle />
      <BatchFinishedNote />
      {paused ? <PausedNote /> : null}
      {queueError ? <ErrorNote error={queueError} /> : null}
      {status === 'error' && error ? <ErrorNote error={error} onRetry={() => stores.queue.getState().load()} /> : null}
      {status === 'loading' || status === 'idle' ? <p className="empty-state">Loading the queue…</p> : null}
      {status === 'ready' && jobs.length === 0 ? <p className="empty-state">No jobs yet. They appear here when you press Generate.</p> : null}
      {rows.length > 0 ? (
        <>
          <QueueList
            rows={rows}
            entries={entries.length}
            now={now}
            hasMore={hasMore}
            loadingMore={loadingMore}
            onLoadMore={loadMore}
            onToggle={toggle}
          />
          <p className="hint" id="queue-keys-hint">
            ↑ ↓ move between jobs, Tab reaches their buttons.
          </p>
        </>
      ) : null}
    </section>
  )
}
