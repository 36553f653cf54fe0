import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { JobStatus } from '../../../shared/api'
import { progressTitle } from '../../../shared/queue/work-progress'
import { STATUS_LABELS } from './job-status'
import { queueEntries } from './queue-entries'
import { useNow } from '../ui/hooks/use-now'
import { useQueue, useStores } from '../app/stores-context'
import './queue.css'
import { BatchGroup } from './BatchGroup'
import { BatchNotifyToggle } from './BatchNotifications'
import { ErrorNote } from '../ui/ErrorNote'
import { JobRow, type QueueItemNav } from './JobRow'

const COUNT_ORDER: JobStatus[] = ['running', 'queued', 'interrupted', 'failed', 'succeeded', 'canceled']

function QueueCounts(): ReactNode {
  const counts = useQueue((s) => s.queue?.counts)
  const held = useQueue((s) => s.queue?.held ?? 0)
  if (!counts) return null
  const parts = COUNT_ORDER.filter((status) => (counts[status] ?? 0) > 0).map(
    (status) => `${counts[status]} ${STATUS_LABELS[status].toLowerCase()}`,
  )
  if (held > 0) parts.push(`${held} held by a budget`)
  return <p className="queue-counts">{parts.length > 0 ? parts.join(' · ') : 'Idle'}</p>
}

/** Why the queue is paused: by the user, or by itself because the library disk cannot take writes. */
function PausedNote(): ReactNode {
  const reason = useQueue((s) => s.queue?.pauseReason ?? null)
  if (!reason) return <p className="notice">The queue is paused: queued jobs wait until you press Resume all.</p>
  return (
    <p className="notice" role="alert">
      The queue paused itself: {reason.message} {reason.fix}
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
            Remove {clearable} failed and canceled {clearable === 1 ? 'job' : 'jobs'} from the queue? They can no longer be retried. Jobs with
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

/** The window title carries the progress, so it shows in the tab and the taskbar while you work elsewhere. */
function useTitleProgress(): void {
  const progress = useQueue((s) => s.progress)
  useEffect(() => {
    document.title = progressTitle(progress)
  }, [progress])
  useEffect(() => () => void (document.title = progressTitle(null)), [])
}

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End'])

/** Arrow keys, Home and End move between the items of the list (job rows and batch headers). */
function moveFocus(event: KeyboardEvent<HTMLUListElement>): void {
  if (!NAV_KEYS.has(event.key)) return
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-queue-item]')]
  const current = (event.target as HTMLElement).closest<HTMLElement>('[data-queue-item]')
  const at = current ? items.indexOf(current) : -1
  const next =
    event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : event.key === 'ArrowDown' ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1)
  items[next]?.focus()
  event.preventDefault()
}

export function QueuePanel(): ReactNode {
  const stores = useStores()
  const status = useQueue((s) => s.status)
  const error = useQueue((s) => s.error)
  const jobs = useQueue((s) => s.jobs)
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const queueError = useQueue((s) => s.queueError)
  const now = useNow(jobs.some((job) => job.status === 'running' || (job.status === 'queued' && job.nextAttemptAt !== null)))
  const [collapsed, setCollapsed] = useState<Record<string, true>>({})
  const [activeKey, setActiveKey] = useState<string | null>(null)
  useTitleProgress()

  const entries = queueEntries(jobs)
  const keys = entries.flatMap((e) => (e.kind === 'job' ? [e.key] : [e.key, ...(collapsed[e.key] ? [] : e.jobs.map((j) => j.id))]))
  const tabbable = activeKey !== null && keys.includes(activeKey) ? activeKey : keys[0]
  const navFor = (key: string): QueueItemNav => ({ tabIndex: key === tabbable ? 0 : -1, onFocus: () => setActiveKey(key) })
  const toggle = (batchId: string): void => {
    const { [batchId]: wasCollapsed, ...rest } = collapsed
    setCollapsed(wasCollapsed ? rest : { ...rest, [batchId]: true })
  }

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
      {status === 'error' && error ? (
        <ErrorNote error={error} onRetry={() => stores.queue.getState().load()} />
      ) : null}
      {status === 'loading' || status === 'idle' ? <p className="empty-state">Loading the queue…</p> : null}
      {status === 'ready' && jobs.length === 0 ? (
        <p className="empty-state">No jobs yet. They appear here when you press Generate.</p>
      ) : null}
      {entries.length > 0 ? (
        <ul className="job-list" aria-label="Jobs" aria-describedby="queue-keys-hint" onKeyDown={moveFocus}>
          {entries.map((entry) =>
            entry.kind === 'job' ? (
              <JobRow key={entry.key} job={entry.job} now={now} nav={navFor(entry.key)} />
            ) : (
              <BatchGroup
                key={entry.key}
                batchId={entry.batchId}
                jobs={entry.jobs}
                now={now}
                expanded={!collapsed[entry.key]}
                onToggle={() => toggle(entry.key)}
                nav={navFor(entry.key)}
                navFor={navFor}
              />
            ),
          )}
        </ul>
      ) : null}
      {entries.length > 0 ? (
        <p className="hint" id="queue-keys-hint">
          ↑ ↓ move between jobs, Tab reaches their buttons.
        </p>
      ) : null}
    </section>
  )
}
