import type { ReactNode } from 'react'
import { useGenerate } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'

/** The Generate button, the reason it is disabled, and the outcome of the last press. */
export function GenerateButton({ blocker, onGenerate }: { blocker: string | null; onGenerate(): void }): ReactNode {
  const submitting = useGenerate((s) => s.submitting)
  const submitError = useGenerate((s) => s.submitError)
  const lastQueued = useGenerate((s) => s.lastQueued)
  const jobCount = useGenerate((s) => s.sizes.length)

  return (
    <div className="generate-action">
      <button
        type="button"
        className="button-primary"
        disabled={blocker !== null}
        aria-describedby="generate-status"
        onClick={onGenerate}
      >
        {submitting ? 'Queuing…' : 'Generate'}
      </button>
      <p id="generate-status" className="hint" role="status">
        {blocker ??
          (lastQueued !== null && !submitError
            ? `Queued ${lastQueued} ${lastQueued === 1 ? 'job' : 'jobs'}. Press again for more.`
            : `Queues ${jobCount} ${jobCount === 1 ? 'job' : 'jobs'}, one per size.`)}
      </p>
      {submitError ? <ErrorNote error={submitError} /> : null}
    </div>
  )
}
