import type { ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import { useGenerate, useProviders, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { storageHint } from '../ui/format/key-storage'
import { SelectField } from '../ui/SelectField'

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
    <SelectField
      id="api-key"
      label="API key"
      value={keyId ?? ''}
      empty="Choose a key…"
      choices={keys.map((k) => ({ value: k.id, label: `${k.label} ····${k.last4}${k.available ? '' : ' (unavailable)'}`, disabled: !k.available }))}
      onChange={(value) => setKey(value || null)}
    />
  )
}
