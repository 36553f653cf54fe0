import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { KEY_LABEL_MAX, type KeyCheckResult, type KeyInfo } from '../../../shared/api'
import { ErrorNote } from '../ui/ErrorNote'
import { BACKEND_LABELS, backendPlace, keptIn, storageHint } from '../ui/format/key-storage'
import { usePendingCall } from '../ui/hooks/use-pending-call'
import { useSecretField } from '../ui/hooks/use-secret-field'
import { useProviders, useStores, useView } from '../app/stores-context'
import './settings.css'
import { FormActions } from '../ui/FormActions'

/**
 * API keys: add one per project or workflow, see where each is kept, rotate, remove, and check
 * it where the provider allows a free check. Secrets go in once, through a password field, and
 * never come back: the page only ever sees labels and last digits.
 */
export function KeysSettings(): ReactNode {
  const keys = useProviders((s) => s.keys)
  const keysError = useProviders((s) => s.keysError)
  const keychain = useProviders((s) => s.keychain)
  const status = useProviders((s) => s.status)
  const headingId = useId()

  return (
    <section className="panel settings-section" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>Keys</h2>
      </div>
      {keychain ? (
        <p className={keychain.persistent ? 'hint' : 'notice'} role="status">
          {keychain.message}
        </p>
      ) : null}
      {keysError ? <ErrorNote error={keysError} /> : null}
      <AddKeyForm />
      {status === 'ready' && keys.length === 0 && !keysError ? (
        <p className="empty-state">No keys yet. The demo provider needs none; add a key above to use a hosted provider.</p>
      ) : null}
      {keys.length > 0 ? (
        <ul className="key-list" aria-label="Stored keys">
          {keys.map((key) => (
            <KeyRow key={key.id} info={key} />
          ))}
        </ul>
      ) : null}
    </section>
  )
}

function AddKeyForm(): ReactNode {
  const stores = useStores()
  const providers = useProviders((s) => s.providers).filter((p) => p.needsKey)
  const keychain = useProviders((s) => s.keychain)
  // "Add a key in Settings" says which provider the user came from; the form starts there.
  const wanted = useView((s) => s.keyProvider)
  const [provider, setProvider] = useState('')
  const [label, setLabel] = useState('')
  const secret = useSecretField()
  const { busy, error, run } = usePendingCall()
  const [added, setAdded] = useState<string | null>(null)
  const chosen = provider || providers.find((p) => p.id === wanted)?.id || providers[0]?.id || ''
  const hint = storageHint(keychain)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setAdded(null)
    await run(async () => {
      const info = await stores.providers.getState().addKey({ provider: chosen, label, secret: secret.read() })
      secret.clear()
      setLabel('')
      setAdded(`Added "${info.label}" (····${info.last4}), ${keptIn(info.backend)}.`)
    })
  }

  return (
    <form noValidate className="settings-form" aria-label="Add a key" onSubmit={(e) => void submit(e)}>
      <h3 className="field-heading">Add a key</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor="new-key-provider">Key provider</label>
          <select id="new-key-provider" value={chosen} onChange={(e) => setProvider(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-key-label">Key label</label>
          <input
            id="new-key-label"
            type="text"
            value={label}
            maxLength={KEY_LABEL_MAX}
            placeholder="Spring catalogue"
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor="new-key-secret">Secret</label>
        <input
          id="new-key-secret"
          type="password"
          autoComplete="off"
          spellCheck={false}
          ref={secret.ref}
          placeholder="Paste the key the provider gave you"
          onChange={secret.onChange}
        />
        <p className="hint">{hint ?? 'Proofsheet shows only its last four characters from now on.'}</p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {added ? (
        <p className="success-note" role="status">
          {added}
        </p>
      ) : null}
      <FormActions action="Add key" busyAction="Adding…" busy={busy} disabled={!chosen || label.trim() === '' || !secret.filled} />
    </form>
  )
}

type RowMode = 'idle' | 'rotate' | 'remove'

function KeyRow({ info }: { info: KeyInfo }): ReactNode {
  const stores = useStores()
  const provider = useProviders((s) => s.providers.find((p) => p.id === info.provider))
  const [mode, setMode] = useState<RowMode>('idle')
  const secret = useSecretField()
  const { busy, error, run } = usePendingCall()
  const [check, setCheck] = useState<KeyCheckResult | null>(null)
  const secretId = useId()

  const test = (): Promise<boolean> =>
    run(async () => {
      setCheck(null)
      setCheck(await stores.providers.getState().testKey(info.id))
    })
  const rotate = (event: FormEvent): Promise<boolean> => {
    event.preventDefault()
    return run(async () => {
      await stores.providers.getState().rotateKey(info.id, secret.read())
      secret.clear()
      setMode('idle')
      setCheck(null)
    })
  }
  const remove = (): Promise<boolean> =>
    run(async () => {
      await stores.providers.getState().removeKey(info.id)
    })

  return (
    <li className="key-row">
      <div className="key-summary">
        <span className="key-label">{info.label}</span>
        <span className="key-meta">
          {provider?.name ?? info.provider} · ····{info.last4} · {BACKEND_LABELS[info.backend]} · added{' '}
          {new Date(info.createdAt).toLocaleDateString()}
        </span>
        <span className={info.available ? 'badge badge-ok' : 'badge badge-danger'}>{info.available ? 'Ready' : 'Cannot be read'}</span>
      </div>
      {provider && info.host !== undefined && info.host !== hostOf(provider.baseUrl) ? (
        <p className="notice">
          Entered for {info.host ?? 'an unknown host'}; {provider.name} now sends to {hostOf(provider.baseUrl) ?? 'another address'}. This key is not sent
          there until you rotate it (enter it again).
        </p>
      ) : null}
      <div className="key-actions">
        <button
          type="button"
          className="button-quiet"
          aria-label={`Test ${info.label}`}
          title={provider?.freeKeyCheck ? 'A free check; nothing is charged' : 'This provider has no free check: nothing is sent'}
          disabled={busy}
          onClick={() => void test()}
        >
          Test
        </button>
        <button type="button" className="button-quiet" aria-label={`Rotate ${info.label}`} disabled={busy} onClick={() => setMode(mode === 'rotate' ? 'idle' : 'rotate')}>
          Rotate
        </button>
        <button type="button" className="button-quiet button-danger" aria-label={`Remove ${info.label}`} disabled={busy} onClick={() => setMode('remove')}>
          Remove
        </button>
      </div>
      {check ? (
        <p className={check.outcome === 'valid' ? 'success-note' : check.outcome === 'rejected' ? 'error-note' : 'hint'} role="status">
          {check.message}
        </p>
      ) : null}
      {mode === 'rotate' ? (
        <form noValidate className="inline-form" aria-label={`Rotate ${info.label}`} onSubmit={(e) => void rotate(e)}>
          <label htmlFor={secretId}>New secret for {info.label}</label>
          <input id={secretId} type="password" autoComplete="off" spellCheck={false} ref={secret.ref} onChange={secret.onChange} />
          <p className="hint">Same label and id: queued jobs that use this key will pay with the new secret.</p>
          <FormActions action="Save new secret" busy={busy} disabled={!secret.filled} onCancel={() => setMode('idle')} />
        </form>
      ) : null}
      {mode === 'remove' ? (
        <div className="inline-form" role="group" aria-label={`Confirm removing ${info.label}`}>
          <p>
            Remove <strong>{info.label}</strong>? The secret is deleted from {backendPlace(info.backend)}; queued jobs that use it will
            stop with an auth error.
          </p>
          <FormActions action="Remove key" tone="danger" busy={busy} onAct={() => void remove()} onCancel={() => setMode('idle')} cancel="Keep it" />
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </li>
  )
}

/** Host and port, as the engine binds keys to them (secrets/key-endpoint.ts). */
function hostOf(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).host.toLowerCase() || null
  } catch {
    return null
  }
}
