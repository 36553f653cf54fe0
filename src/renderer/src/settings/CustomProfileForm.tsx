import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { CustomProfile, ProviderSummary } from '../../../shared/api'
import { ErrorNote } from '../ui/ErrorNote'
import { usePendingCall } from '../ui/hooks/use-pending-call'
import { useStores } from '../app/stores-context'
import { fromPriceRows, PriceTableEditor, toPriceRows, type PriceRow } from './PriceTableEditor'
import { checkPriceRows, wholeNumber } from './profile-form'

type Format = 'png' | 'jpeg' | 'webp'
const FORMATS: readonly Format[] = ['png', 'jpeg', 'webp']

/** Starting values: the saved custom profile when editing, sensible blanks when adding. */
function initial(existing: ProviderSummary | null): CustomProfile {
  if (existing?.settings?.kind === 'custom') return existing.settings
  return {
    kind: 'custom',
    id: '',
    name: '',
    baseUrl: 'https://',
    auth: 'bearer',
    modelId: 'gpt-image-2',
    sizes: ['1024x1024', '1536x1024', '1024x1536'],
    customSizes: false,
    formats: ['png', 'jpeg', 'webp'],
    formatField: 'output_format',
    references: 'none',
    maxImagesPerCall: 1,
    currency: 'USD',
    prices: [],
    priceSource: 'Entered by you',
    concurrency: 2,
    timeoutSeconds: 180,
  }
}

/**
 * A user's own OpenAI-compatible endpoint: everything the openai-sync dialect needs to know
 * about it, with the same checks the engine applies (the engine has the last word).
 */
export function CustomProfileForm({ existing, onDone }: { existing: ProviderSummary | null; onDone(): void }): ReactNode {
  const stores = useStores()
  const id = useId()
  const start = initial(existing)
  const [form, setForm] = useState({
    id: start.id,
    name: start.name,
    baseUrl: start.baseUrl,
    auth: start.auth,
    modelId: start.modelId,
    sizes: start.sizes.join(', '),
    customSizes: start.customSizes,
    formats: start.formats,
    formatField: start.formatField,
    references: start.references,
    maxImagesPerCall: String(start.maxImagesPerCall),
    currency: start.currency,
    priceSource: start.priceSource,
    concurrency: String(start.concurrency),
    requestsPerMinute: start.requestsPerMinute === undefined ? '' : String(start.requestsPerMinute),
    timeoutSeconds: String(start.timeoutSeconds),
  })
  const [rows, setRows] = useState<PriceRow[]>(toPriceRows(start.prices))
  const { busy, error, setError, run } = usePendingCall()
  const set = (patch: Partial<typeof form>): void => setForm({ ...form, ...patch })

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const priceProblem = checkPriceRows(rows)
    if (priceProblem) return setError(priceProblem)
    const perCall = wholeNumber(form.maxImagesPerCall, 'Images per call', 1, 10)
    const jobs = wholeNumber(form.concurrency, 'Jobs at once', 1, 16)
    const perMinute = form.requestsPerMinute.trim() === '' ? null : wholeNumber(form.requestsPerMinute, 'Requests per minute', 1, 600)
    const seconds = wholeNumber(form.timeoutSeconds, 'Timeout', 30, 1800)
    if ('problem' in perCall) return setError(perCall.problem)
    if ('problem' in jobs) return setError(jobs.problem)
    if (perMinute && 'problem' in perMinute) return setError(perMinute.problem)
    if ('problem' in seconds) return setError(seconds.problem)
    const profile: CustomProfile = {
      kind: 'custom',
      id: form.id.trim(),
      name: form.name.trim(),
      baseUrl: form.baseUrl.trim(),
      auth: form.auth,
      modelId: form.modelId.trim(),
      sizes: form.sizes
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      customSizes: form.customSizes,
      formats: form.formats,
      formatField: form.formatField,
      references: form.references,
      maxImagesPerCall: perCall.value,
      currency: form.currency.trim().toUpperCase(),
      prices: fromPriceRows(rows),
      priceSource: form.priceSource.trim() || 'Entered by you',
      concurrency: jobs.value,
      ...(perMinute ? { requestsPerMinute: perMinute.value } : {}),
      timeoutSeconds: seconds.value,
    }
    if (await run(() => stores.providers.getState().saveProfile(profile))) onDone()
  }

  const title = existing ? `Settings for ${existing.name}` : 'New custom provider'
  return (
    <form noValidate className="settings-form" aria-label={title} onSubmit={(e) => void save(e)}>
      <h3 className="field-heading">{title}</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" value={form.name} maxLength={60} placeholder="Studio proxy" onChange={(e) => set({ name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-id`}>Profile id</label>
          <input
            id={`${id}-id`}
            type="text"
            className="mono"
            value={form.id}
            readOnly={existing !== null}
            placeholder="studio-proxy"
            onChange={(e) => set({ id: e.target.value })}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Base URL</label>
        <input id={`${id}-url`} type="url" className="mono" value={form.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} />
        <p className="hint">With its version segment, e.g. https://proxy.example.com/v1. Proofsheet adds /images/generations and /images/edits.</p>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-model`}>Model id</label>
          <input id={`${id}-model`} type="text" className="mono" value={form.modelId} onChange={(e) => set({ modelId: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-auth`}>Authentication</label>
          <select id={`${id}-auth`} value={form.auth} onChange={(e) => set({ auth: e.target.value === 'x-api-key' ? 'x-api-key' : 'bearer' })}>
            <option value="bearer">Authorization: Bearer</option>
            <option value="x-api-key">x-api-key header</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-sizes`}>Sizes</label>
        <input id={`${id}-sizes`} type="text" className="mono" value={form.sizes} onChange={(e) => set({ sizes: e.target.value })} />
        <label className="check-label">
          <input type="checkbox" checked={form.customSizes} onChange={(e) => set({ customSizes: e.target.checked })} />
          Also accept other sizes (multiples of 16, 256 to 3840 px)
        </label>
      </div>
      <fieldset className="field">
        <legend>Output formats</legend>
        <div className="check-row">
          {FORMATS.map((f) => (
            <label key={f} className="check-label">
              <input
                type="checkbox"
                checked={form.formats.includes(f)}
                onChange={(e) => set({ formats: e.target.checked ? [...form.formats, f] : form.formats.filter((x) => x !== f) })}
              />
              {f.toUpperCase()}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-format-field`}>Format parameter</label>
          <select
            id={`${id}-format-field`}
            value={form.formatField}
            onChange={(e) => set({ formatField: e.target.value === 'format' ? 'format' : 'output_format' })}
          >
            <option value="output_format">output_format</option>
            <option value="format">format</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-refs`}>Reference images</label>
          <select id={`${id}-refs`} value={form.references} onChange={(e) => set({ references: e.target.value as CustomProfile['references'] })}>
            <option value="none">Not accepted</option>
            <option value="file">Files (multipart edits)</option>
            <option value="url">Links only</option>
            <option value="file+url">Files or links</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-per-call`}>Images per call</label>
          <input id={`${id}-per-call`} type="number" min={1} max={10} value={form.maxImagesPerCall} onChange={(e) => set({ maxImagesPerCall: e.target.value })} />
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-concurrency`}>Jobs at once</label>
          <input id={`${id}-concurrency`} type="number" min={1} max={16} value={form.concurrency} onChange={(e) => set({ concurrency: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-rpm`}>Requests per minute</label>
          <input
            id={`${id}-rpm`}
            type="number"
            min={1}
            max={600}
            value={form.requestsPerMinute}
            placeholder="no limit"
            onChange={(e) => set({ requestsPerMinute: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-timeout`}>Timeout (seconds)</label>
          <input id={`${id}-timeout`} type="number" min={30} max={1800} value={form.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>Currency</label>
          <input id={`${id}-currency`} type="text" className="mono" maxLength={3} value={form.currency} onChange={(e) => set({ currency: e.target.value })} />
        </div>
      </div>
      <PriceTableEditor idPrefix={id} rows={rows} currency={form.currency || 'USD'} pixelSizes onChange={setRows} />
      <div className="field">
        <label htmlFor={`${id}-source`}>Where these prices come from</label>
        <input id={`${id}-source`} type="text" value={form.priceSource} maxLength={200} onChange={(e) => set({ priceSource: e.target.value })} />
      </div>
      {error ? <ErrorNote error={error} /> : null}
      <div className="form-actions">
        <button type="button" className="button-quiet" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button-accent" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save' : 'Add provider'}
        </button>
      </div>
    </form>
  )
}
