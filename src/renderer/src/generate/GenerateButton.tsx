import type { ReactNode } from 'react'
import { plural } from '../../../shared/format/plural'
import { useGenerate, useProviders, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import type { Blocker } from './generate-readiness'
import './generate.css'

/**
 * The Generate button, what blocks it (right beside it, with the way out when one click can
 * clear it), and the outcome of the last press.
 */
export function GenerateButton({ blocker, onGenerate }: { blocker: Blocker | null; onGenerate(): void }): ReactNode {
  const stores = useStores()
  const submitting = useGenerate((s) => s.submitting)
  const submitError = useGenerate((s) => s.submitError)
  const lastQueued = useGenerate((s) => s.lastQueued)
  const jobCount = useGenerate((s) => s.sizes.length)
  const providerId = useGenerate((s) => s.providerId)
  const providerName = useProviders((s) => s.providers.find((p) => p.id === providerId)?.name ?? 'this provider')

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
      <p id="generate-status" className="hint generate-status" role="status">
        {blocker?.text ??
          (lastQueued !== null && !submitError
            ? `Queued ${plural(lastQueued, 'job')}. Press again for more.`
            : `Queues ${plural(jobCount, 'job')}, one per size.`)}
      </p>
      {blocker?.fix === 'remove-references' ? (
        <button type="button" className="button-quiet" onClick={() => stores.generate.getState().removeUnusableReferences()}>
          Remove what {providerName} cannot take
        </button>
      ) : null}
      {blocker?.fix === 'add-key' && providerId ? (
        <button type="button" className="button-quiet" onClick={() => stores.view.getState().addKeyFor(providerId)}>
          Add a key for {providerName}
        </button>
      ) : null}
      {submitError ? <ErrorNote error={submitError} /> : null}
    </div>
  )
}
