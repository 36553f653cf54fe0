import type { ReactNode } from 'react'
import { useLayout, useQueue, useStores } from '../app/stores-context'

/**
 * The queue at a glance, always in the header: running, queued, held and failed counts and the
 * progress of the work in flight. It is the button that opens the queue drawer; its name stays
 * "Queue" and the counts are its description, so a screen reader hears both.
 */
export function QueueStrip(): ReactNode {
  const stores = useStores()
  const open = useLayout((s) => s.queueOpen)
  const counts = useQueue((s) => s.queue?.counts)
  const held = useQueue((s) => s.queue?.held ?? 0)
  const paused = useQueue((s) => s.queue?.paused ?? false)
  const progress = useQueue((s) => s.progress)

  const running = counts?.running ?? 0
  const queued = Math.max(0, (counts?.queued ?? 0) - held)
  const failed = (counts?.failed ?? 0) + (counts?.interrupted ?? 0)
  const parts = [
    { n: running, label: 'running', tone: 'running' },
    { n: queued, label: 'queued', tone: 'queued' },
    { n: held, label: 'held', tone: 'held' },
    { n: failed, label: 'failed', tone: 'failed' },
  ].filter((p) => p.n > 0)
  const percent = progress ? Math.round(progress.fraction * 100) : null

  return (
    <button
      type="button"
      className={`queue-strip${open ? ' is-open' : ''}`}
      aria-label="Queue"
      aria-expanded={open}
      aria-controls="queue-drawer"
      aria-describedby="queue-strip-summary"
      onClick={() => stores.layout.getState().setQueueOpen(!open)}
    >
      <span className="queue-strip-title" aria-hidden="true">
        Queue
      </span>
      <span id="queue-strip-summary" className="queue-strip-counts">
        {paused ? <span className="queue-strip-count tone-held">Paused</span> : null}
        {parts.length === 0 && !paused ? <span className="queue-strip-idle">Idle</span> : null}
        {parts.map((p) => (
          <span key={p.label} className={`queue-strip-count tone-${p.tone}`} title={`${p.n} ${p.label}`}>
            <span className="queue-strip-dot" aria-hidden="true" />
            {p.n} {p.label}
          </span>
        ))}
      </span>
      {percent !== null ? (
        <span
          className="queue-strip-progress"
          role="progressbar"
          aria-label="Work in flight"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={progress ? `${progress.done} of ${progress.total} done` : undefined}
        >
          <span className="queue-strip-bar" style={{ width: `${Math.max(2, percent)}%` }} />
        </span>
      ) : null}
    </button>
  )
}
