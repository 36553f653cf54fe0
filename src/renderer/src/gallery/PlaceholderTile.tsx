import type { MouseEvent, ReactNode } from 'react'
import { useQueue, useStores } from '../app/stores-context'
import { runningShare } from '../queue/queue-entries'
import { useNow } from '../ui/hooks/use-now'
import type { Placeholder } from './placeholders'
import { promptFirstLine } from './prompt-line'
import { usePartialPreview } from './use-partial-preview'

/** The failure, with Retry (the queue's) and Dismiss (off the gallery; the job stays in the queue). */
function FailedPlaceholder({ placeholder, active }: { placeholder: Placeholder; active: boolean }): ReactNode {
  const stores = useStores()
  const { job } = placeholder
  const busy = useQueue((s) => s.busy[job.id] === true)
  const retryError = useQueue((s) => s.rowErrors[job.id])
  const images = job.n === 1 ? 'image' : `${job.n} images`
  const act = (run: () => void) => (event: MouseEvent): void => {
    event.stopPropagation()
    run()
  }
  return (
    <div className="tile-placeholder is-failed">
      <p className="placeholder-status">
        Failed · {job.size} {images}
      </p>
      <p className="placeholder-message" title={job.error?.message}>
        {retryError?.message ?? job.error?.message ?? 'The job failed.'}
      </p>
      <div className="placeholder-actions">
        {/* In the tab order while the tile is active: the grid's Enter retries, Delete dismisses. */}
        <button type="button" className="button-quiet" tabIndex={active ? 0 : -1} disabled={busy} onClick={act(() => {
            stores.gallery.getState().watchRequested([job.id])
            void stores.queue.getState().retry(job.id)
          })}>
          Retry
        </button>
        <button type="button" className="button-quiet" tabIndex={active ? 0 : -1} onClick={act(() => stores.gallery.getState().dismissPlaceholder(job.id))}>
          Dismiss
        </button>
      </div>
    </div>
  )
}

/** The last tile when the gallery shows only the newest placeholders: the rest are in the queue. */
function MorePlaceholders({ count, active }: { count: number; active: boolean }): ReactNode {
  const stores = useStores()
  return (
    <div className="tile-placeholder is-more">
      <p className="placeholder-status">{count.toLocaleString('en-US')} more images on their way</p>
      <p className="placeholder-message">The gallery shows the newest; the queue lists them all.</p>
      <div className="placeholder-actions">
        <button
          type="button"
          className="button-quiet"
          tabIndex={active ? 0 : -1}
          onClick={(event) => {
            event.stopPropagation()
            stores.layout.getState().setQueueOpen(true)
          }}
        >
          Open the queue
        </button>
      </div>
    </div>
  )
}

function PendingPlaceholder({ placeholder, active }: { placeholder: Placeholder; active: boolean }): ReactNode {
  const stores = useStores()
  const { job, state, label } = placeholder
  const busy = useQueue((s) => s.busy[job.id] === true)
  const cancelError = useQueue((s) => s.rowErrors[job.id])
  const running = state === 'running' || state === 'polling'
  const now = useNow(running)
  const percent = running ? Math.round(runningShare(job, now) * 100) : null
  // Partials belong to the image being made now: the job's first tile still waiting shows them.
  const partial = usePartialPreview(job.id, running && (placeholder.slot ?? 0) === 0)
  return (
    <div className={`tile-placeholder is-${state}${partial ? ' has-partial' : ''}`} aria-busy="true">
      {partial ? (
        <img
          className="placeholder-partial"
          src={partial.preview}
          alt={`Partial preview ${partial.partialIndex + 1} of ${job.size}`}
          width={partial.width}
          height={partial.height}
        />
      ) : null}
      <p className="placeholder-status">{label}</p>
      {/* Without a value while it waits: a progressbar that says "not started", not "0% done". */}
      <div
        className="placeholder-progress"
        role="progressbar"
        aria-label={`Progress of ${job.size}`}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { 'aria-valuenow': percent } : {})}
      >
        <span style={percent !== null ? { width: `${percent}%` } : undefined} />
      </div>
      <p className="placeholder-prompt" title={job.prompt}>
        {promptFirstLine(job.prompt)}
      </p>
      <p className="placeholder-size">{job.size}</p>
      {cancelError ? (
        <p className="placeholder-message" role="alert">
          {cancelError.message}
        </p>
      ) : null}
      {/* Stop a bad start early, without a trip to the queue; a saving image is already paid for. */}
      {state !== 'saving' ? (
        <div className="placeholder-actions">
          <button
            type="button"
            className="button-quiet"
            tabIndex={active ? 0 : -1}
            disabled={busy}
            aria-label={`Cancel ${job.size}`}
            title={job.n > 1 ? `Cancel this job (its ${job.n} images)` : 'Cancel this job'}
            onClick={(event) => {
              event.stopPropagation()
              void stores.queue.getState().cancel(job.id)
            }}
          >
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  )
}

/**
 * A tile for an image on its way: what its job is doing and how far it got (with the provider's
 * partial previews where it streams them), where the image will appear, and Cancel; or, when the
 * job failed, why, with Retry and Dismiss.
 */
export function PlaceholderTile({ placeholder, active }: { placeholder: Placeholder; active: boolean }): ReactNode {
  if (placeholder.more !== undefined) return <MorePlaceholders count={placeholder.more} active={active} />
  return placeholder.state === 'failed' ? <FailedPlaceholder placeholder={placeholder} active={active} /> : <PendingPlaceholder placeholder={placeholder} active={active} />
}
