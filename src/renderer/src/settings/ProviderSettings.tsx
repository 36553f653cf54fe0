import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { PROFILE_LIMITS, PROFILE_TEXT_LIMITS, USER_PRICE_SOURCE, type ProfileSettings, type ProviderSummary } from '../../../shared/api'
import { ErrorNote } from '../ui/ErrorNote'
import { noticeText } from '../ui/format/remedy-words'
import { usePendingCall } from '../ui/hooks/use-pending-call'
import { formatMoney } from '../ui/format/money'
import { useProviders, useStores } from '../app/stores-context'
import { CustomProfileForm } from './CustomProfileForm'
import { fromPriceRows, PriceTableEditor, toPriceRows, type PriceRow } from './PriceTableEditor'
import { AUTH_CHOICES, checkPriceRows, wholeNumber } from './profile-form'
import { FormActions } from '../ui/FormActions'
import { SelectField } from '../ui/SelectField'

/**
 * Provider profiles: where each lives (base URL), how it authenticates, what it costs and how
 * hard Proofsheet may push it; plus the user's own OpenAI-compatible endpoints.
 */
export function ProviderSettings(): ReactNode {
  const providers = useProviders((s) => s.providers).filter((p) => p.dialect !== 'demo')
  const [adding, setAdding] = useState(false)
  const headingId = useId()
  return (
    <section className="panel settings-section" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>Providers</h2>
        <button type="button" className="button-quiet" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          Add a custom provider
        </button>
      </div>
      <p className="hint">
        Built-in profiles follow each provider's published documents. Change a base URL to go through a proxy or a regional endpoint,
        enter the prices of your own contract, or slow a provider down if it answers with rate limits.
      </p>
      {adding ? <CustomProfileForm existing={null} onDone={() => setAdding(false)} /> : null}
      <ul className="profile-list" aria-label="Provider profiles">
        {providers.map((p) => (
          <ProfileRow key={p.id} provider={p} />
        ))}
      </ul>
    </section>
  )
}

function originBadge(p: ProviderSummary): { text: string; className: string } {
  if (p.origin === 'custom') return { text: 'Custom', className: 'badge badge-accent' }
  if (p.overridden) return { text: 'Changed', className: 'badge badge-notice' }
  return { text: 'Built-in', className: 'badge' }
}

function priceSummary(p: ProviderSummary): string {
  if (p.prices.length === 0) return 'No prices set'
  return p.prices.map((t) => `${t.tier} ${formatMoney(t.price, p.currency)}`).join(' · ')
}

function ProfileRow({ provider: p }: { provider: ProviderSummary }): ReactNode {
  const stores = useStores()
  const [editing, setEditing] = useState(false)
  // Kept after the form closes: the keys it left behind stay unusable until entered again.
  const [keyNotice, setKeyNotice] = useState<string | null>(null)
  const { error, run } = usePendingCall()
  const badge = originBadge(p)
  const reset = (): Promise<boolean> =>
    run(async () => {
      await stores.providers.getState().removeProvider(p.id)
      setEditing(false)
    })
  return (
    <li className="profile-row">
      <div className="profile-summary">
        <div className="profile-title">
          <span className="profile-name">{p.name}</span>
          <span className={badge.className}>{badge.text}</span>
        </div>
        <dl className="profile-facts">
          <dt>Base URL</dt>
          <dd className="mono">{p.baseUrl}</dd>
          <dt>Model</dt>
          <dd className="mono">{p.modelId}</dd>
          <dt>Prices</dt>
          <dd>
            {priceSummary(p)} <span className="hint">({p.priceSource})</span>
          </dd>
          <dt>Limits</dt>
          <dd>
            {p.concurrency} at once · {p.requestsPerMinute === null ? 'no request limit' : `${p.requestsPerMinute} requests/min`} · timeout{' '}
            {p.timeoutSeconds} s
          </dd>
        </dl>
      </div>
      <div className="key-actions">
        <button type="button" className="button-quiet" aria-expanded={editing} aria-label={`Edit ${p.name}`} onClick={() => setEditing(!editing)}>
          Edit
        </button>
        {p.overridden || p.origin === 'custom' ? (
          <button type="button" className="button-quiet button-danger" aria-label={p.origin === 'custom' ? `Remove ${p.name}` : `Reset ${p.name}`} onClick={() => void reset()}>
            {p.origin === 'custom' ? 'Remove' : 'Reset to defaults'}
          </button>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {keyNotice ? (
        <p className="notice" role="status">
          {keyNotice}
        </p>
      ) : null}
      {editing && p.origin === 'custom' ? <CustomProfileForm existing={p} onDone={() => setEditing(false)} onKeyNotice={setKeyNotice} /> : null}
      {editing && p.origin === 'builtin' ? <OverrideForm provider={p} onDone={() => setEditing(false)} onKeyNotice={setKeyNotice} /> : null}
    </li>
  )
}

/** Changes to a built-in profile; only fields that differ from what is in effect are saved. */
function OverrideForm({ provider: p, onDone, onKeyNotice }: { provider: ProviderSummary; onDone(): void; onKeyNotice(notice: string | null): void }): ReactNode {
  const stores = useStores()
  const id = useId()
  const initialRows = toPriceRows(p.prices)
  const [baseUrl, setBaseUrl] = useState(p.baseUrl)
  const [auth, setAuth] = useState(p.auth)
  const [concurrency, setConcurrency] = useState(String(p.concurrency))
  const [rpm, setRpm] = useState(p.requestsPerMinute === null ? '' : String(p.requestsPerMinute))
  const [timeout, setTimeoutSeconds] = useState(String(p.timeoutSeconds))
  const [rows, setRows] = useState<PriceRow[]>(initialRows)
  const [source, setSource] = useState(p.overridden && p.settings?.kind === 'override' && p.settings.priceSource ? p.settings.priceSource : '')
  const { busy, error, setError, run } = usePendingCall()

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const priceProblem = checkPriceRows(rows)
    if (priceProblem) return setError(priceProblem)
    const jobs = wholeNumber(concurrency, 'Jobs at once', PROFILE_LIMITS.concurrency)
    const perMinute = rpm.trim() === '' ? null : wholeNumber(rpm, 'Requests per minute', PROFILE_LIMITS.requestsPerMinute)
    const seconds = wholeNumber(timeout, 'Timeout', PROFILE_LIMITS.timeoutSeconds)
    for (const checked of [jobs, perMinute, seconds]) if (checked && 'problem' in checked) return setError(checked.problem)
    const previous = p.settings?.kind === 'override' ? p.settings : { kind: 'override' as const, id: p.id }
    const pricesChanged = JSON.stringify(rows) !== JSON.stringify(initialRows) || source.trim() !== ''
    const settings: ProfileSettings = {
      ...previous,
      kind: 'override',
      id: p.id,
      ...(baseUrl.trim() !== p.baseUrl ? { baseUrl: baseUrl.trim() } : {}),
      ...(auth !== p.auth && auth !== 'none' ? { auth } : {}),
      ...('value' in jobs && jobs.value !== p.concurrency ? { concurrency: jobs.value } : {}),
      ...(perMinute && 'value' in perMinute && perMinute.value !== p.requestsPerMinute ? { requestsPerMinute: perMinute.value } : {}),
      ...('value' in seconds && seconds.value !== p.timeoutSeconds ? { timeoutSeconds: seconds.value } : {}),
      ...(pricesChanged ? { prices: fromPriceRows(rows), priceSource: source.trim() || USER_PRICE_SOURCE } : {}),
    }
    const saved = await run(async () => {
      const summary = await stores.providers.getState().saveProfile(settings)
      onKeyNotice(noticeText(summary.keyNotice))
    })
    if (saved) onDone()
  }

  return (
    <form noValidate className="settings-form" aria-label={`Settings for ${p.name}`} onSubmit={(e) => void save(e)}>
      <div className="field">
        <label htmlFor={`${id}-url`}>Base URL</label>
        <input id={`${id}-url`} type="url" className="mono" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        <p className="hint">
          Include the version segment; Proofsheet appends the documented paths (such as /images/generations). A stored key is sent only to the host it was
          entered for: after changing the host, rotate the key under Keys.
        </p>
      </div>
      <div className="form-row">
        <SelectField id={`${id}-auth`} label="Authentication" value={auth} choices={AUTH_CHOICES} onChange={(v) => setAuth(v === 'x-api-key' ? 'x-api-key' : 'bearer')} />
        <div className="field">
          <label htmlFor={`${id}-concurrency`}>Jobs at once</label>
          <input id={`${id}-concurrency`} type="number" {...PROFILE_LIMITS.concurrency} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-rpm`}>Requests per minute</label>
          <input id={`${id}-rpm`} type="number" {...PROFILE_LIMITS.requestsPerMinute} value={rpm} placeholder="no limit" onChange={(e) => setRpm(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-timeout`}>Timeout (seconds)</label>
          <input id={`${id}-timeout`} type="number" {...PROFILE_LIMITS.timeoutSeconds} value={timeout} onChange={(e) => setTimeoutSeconds(e.target.value)} />
        </div>
      </div>
      <PriceTableEditor idPrefix={id} rows={rows} currency={p.currency} pixelSizes={p.sizeMode === 'pixels'} onChange={setRows} />
      <div className="field">
        <label htmlFor={`${id}-source`}>Where these prices come from</label>
        <input
          id={`${id}-source`}
          type="text"
          value={source}
          maxLength={PROFILE_TEXT_LIMITS.priceSource}
          placeholder={p.priceSource}
          onChange={(e) => setSource(e.target.value)}
        />
      </div>
      {error ? <ErrorNote error={error} /> : null}
      <FormActions action="Save" busyAction="Saving…" busy={busy} onCancel={onDone} />
    </form>
  )
}
