import type { ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import { useGenerate, useProviders, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { storageHint } from '../ui/format/key-storage'

/** For providers that need one: which stored key pays. Only labels and last digits are shown. */
export function KeySelect({ provider }: { provider: ProviderSummary }): ReactNode {
  const stores = useStores()
  const allKeys = useProviders((s) => s.keys)
  const keysError = useProviders((s) => s.keysError)
  const keychain = useProviders((s) => s.keychain)
  const keyId = useGenerate((s) => s.keyId)
  const setKey = useGenerate((s) => s.setKey)
  const keys = allKeys.filter((k) => k.provider === provider.id)

  if (keysError) return <ErrorNote error={keysError} />
  if (keys.length === 0) {
    return (
      <div className="notice">
        <p>
          {provider.name} needs an API key. {storageHint(keychain) ?? ''}
        </p>
        <button type="button" className="button-quiet" onClick={() => stores.view.getState().addKeyFor(provider.id)}>
          Add a key in Settings
        </button>
      </div>
    )
  }
  return (
    <div className="field">
      <label htmlFor="api-key">API key</label>
      <select id="api-key" value={keyId ?? ''} onChange={(event) => setKey(event.target.value || null)}>
        <option value="">Choose a key…</option>
        {keys.map((k) => (
          <option key={k.id} value={k.id} disabled={!k.available}>
            {k.label} ····{k.last4}
            {k.available ? '' : ' (unavailable)'}
          </option>
        ))}
      </select>
    </div>
  )
}
