import type { ReactNode } from 'react'
import type { JobStatus } from '../../../shared/api'
import { STATUS_LABELS } from '../format/job-status'
import { useNow } from '../hooks/use-now'
import { useQueue, useStores } from '../stores/stores-context'
import { ErrorNote } from './ErrorNote'
import { JobRow } from './JobRow'

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

export function QueuePanel(): ReactNode {
  const stores = useStores()
  const status = useQueue((s) => s.status)
  const error = useQueue((s) => s.error)
  const jobs = useQueue((s) => s.jobs)
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const queueError = useQueue((s) => s.queueError)
  const now = useNow(jobs.some((job) => job.status === 'running' || (job.status === 'queued' && job.nextAttemptAt !== null)))

  return (
    <section className="panel queue-panel" aria-label="Queue">
      <header className="panel-header">
        <h2>Queue</h2>
        <QueueCounts />
        <PauseToggle />
      </header>
      {paused ? <p className="notice">The queue is paused: queued jobs wait until you press Resume all.</p> : null}
      {queueError ? <ErrorNote error={queueError} /> : null}
      {status === 'error' && error ? (
        <ErrorNote
          error={error}
          action={
            <button type="button" className="button-quiet" onClick={() => void stores.queue.getState().load()}>
              Try again
            </button>
          }
        />
      ) : null}
      {status === 'loading' || status === 'idle' ? <p className="empty-state">Loading the queue…</p> : null}
      {status === 'ready' && jobs.length === 0 ? (
        <p className="empty-state">No jobs yet. They appear here when you press Generate.</p>
      ) : null}
      {jobs.length > 0 ? (
        <ul className="job-list">
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} now={now} />
          ))}
        </ul>
      ) : null}
    </section>
  )
}
