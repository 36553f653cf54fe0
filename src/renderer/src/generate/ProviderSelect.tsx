import type { ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import { formatDuration } from '../ui/format/duration'
import { useGenerate, useProviders, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import './generate.css'

/**
 * Chooses the provider profile; loading and failure of the profile list are shown here, and so is
 * what a switch had to change (a size it does not offer, a format it does not make), until the
 * next change or until dismissed.
 */
export function ProviderSelect({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const stores = useStores()
  const status = useProviders((s) => s.status)
  const providers = useProviders((s) => s.providers)
  const error = useProviders((s) => s.error)
  const selectProvider = useGenerate((s) => s.selectProvider)
  const note = useGenerate((s) => s.switchNote)
  const loading = status === 'idle' || status === 'loading'

  return (
    <div className="field">
      <label htmlFor="provider">Provider</label>
      <select
        id="provider"
        value={provider?.id ?? ''}
        disabled={loading || providers.length === 0}
        onChange={(event) => {
          const next = providers.find((p) => p.id === event.target.value)
          if (next) selectProvider(next)
        }}
      >
        {loading ? <option value="">Loading providers…</option> : null}
        {!loading && providers.length === 0 ? <option value="">No providers</option> : null}
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      {provider ? (
        <p className="hint">
          {provider.needsKey ? 'Needs an API key' : 'No API key needed'} · typically{' '}
          {formatDuration(provider.typicalLatencyMs)} per image
        </p>
      ) : null}
      <div role="status" aria-label="Provider change">
        {note ? (
          <div className="form-note">
            <p>{note}</p>
            <button type="button" className="icon-button" aria-label="Dismiss the note" onClick={() => stores.generate.getState().dismissSwitchNote()}>
              ×
            </button>
          </div>
        ) : null}
      </div>
      {error ? (
        <ErrorNote error={error} onRetry={() => stores.providers.getState().load()} />
      ) : null}
    </div>
  )
}
