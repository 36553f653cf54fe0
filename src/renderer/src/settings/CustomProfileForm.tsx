import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import {
  ApiError,
  CUSTOM_PROFILE_DEFAULTS,
  CUSTOM_PROFILE_SIZES,
  OUTPUT_FORMATS,
  PROFILE_LIMITS,
  PROFILE_TEXT_LIMITS,
  USER_PRICE_SOURCE,
  type CustomProfile,
  type ProviderSummary,
} from '../../../shared/api'
import { ErrorNote } from '../ui/ErrorNote'
import { appFix, noticeText } from '../ui/format/remedy-words'
import { usePendingCall } from '../ui/hooks/use-pending-call'
import { useStores } from '../app/stores-context'
import { fromPriceRows, PriceTableEditor, toPriceRows, type PriceRow } from './PriceTableEditor'
import { AUTH_CHOICES, checkPriceRows, profileIdFrom, wholeNumber } from './profile-form'
import { FormActions } from '../ui/FormActions'
import { SelectField } from '../ui/SelectField'

/** Starting values: the saved custom profile when editing, sensible blanks when adding. */
function initial(existing: ProviderSummary | null): CustomProfile {
  if (existing?.settings?.kind === 'custom') return existing.settings
  return {
    kind: 'custom',
    id: '',
    name: '',
    baseUrl: 'https://',
    modelId: 'gpt-image-2',
    sizes: ['1024x1024', '1536x1024', '1024x1536'],
    formats: [...OUTPUT_FORMATS],
    prices: [],
    ...CUSTOM_PROFILE_DEFAULTS,
  }
}

/** The form's fields by the engine's names for them, with the label a person sees. */
const FIELD_LABELS = {
  id: 'Profile id',
  name: 'Name',
  baseUrl: 'Base URL',
  modelId: 'Model id',
  sizes: 'Sizes',
  formats: 'Output formats',
  maxImagesPerCall: 'Images per call',
  concurrency: 'Jobs at once',
  requestsPerMinute: 'Requests per minute',
  timeoutSeconds: 'Timeout (seconds)',
  currency: 'Currency',
  priceSource: 'Where these prices come from',
} as const
type FieldName = keyof typeof FIELD_LABELS

/** A problem with one field: shown under it (aria-invalid) and in the note by the buttons. */
interface FieldProblem {
  field: FieldName
  message: string
  fix?: string
}

/** The engine names a field ("sizes.2", "id"); the form shows it by its label, without the prefix. */
function fieldProblemOf(err: unknown): FieldProblem | null {
  if (!(err instanceof ApiError) || !err.field) return null
  const field = err.field.split('.')[0] as FieldName
  if (!(field in FIELD_LABELS)) return null
  const message = err.message.replace(new RegExp(`^${err.field.replace(/\./g, '\\.')}: `), '')
  // The engine's own fix, unless it only says to correct the field, which the form marks already.
  const fix = err.remedy?.code === 'correct_field' ? undefined : appFix(err)
  return fix ? { field, message, fix } : { field, message }
}

/**
 * A user's own OpenAI-compatible endpoint: everything the openai-sync dialect needs to know
 * about it, with the same checks the engine applies (the engine has the last word). The profile
 * id follows the name until it is typed in; a refused field is marked where it is.
 */
const REFERENCE_CHOICES: readonly { value: CustomProfile['references']; label: string }[] = [
  { value: 'none', label: 'Not accepted' },
  { value: 'file', label: 'Files (multipart edits)' },
  { value: 'url', label: 'Links only' },
  { value: 'file+url', label: 'Files or links' },
]

export function CustomProfileForm({
  existing,
  onDone,
  onKeyNotice,
}: {
  existing: ProviderSummary | null
  onDone(): void
  /** What the engine says about stored keys the save left behind (a new host), or null. */
  onKeyNotice?(notice: string | null): void
}): ReactNode {
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
  // While adding, the id is made from the name until the person types one of their own.
  const [idTyped, setIdTyped] = useState(existing !== null)
  const [problem, setProblem] = useState<FieldProblem | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const set = (patch: Partial<typeof form>): void => {
    setForm({ ...form, ...patch })
    if (problem && problem.field in patch) setProblem(null)
  }
  const setName = (name: string): void => set(idTyped ? { name } : { name, id: profileIdFrom(name) })

  useEffect(() => {
    if (problem) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(`${id}-${problem.field}`)}`)?.focus()
  }, [problem, id])

  /** Marks a field and says what is wrong with it, by its label, with how to fix it. */
  const refuse = (field: FieldName, message: string, fix?: string): void => {
    setProblem({ field, message })
    setError({ message: `${FIELD_LABELS[field]}: ${message}`, fix: fix ?? `Change the ${FIELD_LABELS[field]} field, then press ${existing ? 'Save' : 'Add provider'} again.` })
  }
  /** The invalid state and the message's id, for the field's input. */
  const invalid = (field: FieldName) =>
    problem?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${field}-error` } : {}
  const fieldError = (field: FieldName): ReactNode =>
    problem?.field === field ? (
      <p className="field-error" id={`${id}-${field}-error`}>
        {problem.message}
      </p>
    ) : null

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setProblem(null)
    const priceProblem = checkPriceRows(rows)
    if (priceProblem) return setError(priceProblem)
    const perCall = wholeNumber(form.maxImagesPerCall, 'Images per call', PROFILE_LIMITS.maxImagesPerCall)
    const jobs = wholeNumber(form.concurrency, 'Jobs at once', PROFILE_LIMITS.concurrency)
    const perMinute = form.requestsPerMinute.trim() === '' ? null : wholeNumber(form.requestsPerMinute, 'Requests per minute', PROFILE_LIMITS.requestsPerMinute)
    const seconds = wholeNumber(form.timeoutSeconds, 'Timeout', PROFILE_LIMITS.timeoutSeconds)
    if ('problem' in perCall) return refuse('maxImagesPerCall', perCall.problem.message, perCall.problem.fix)
    if ('problem' in jobs) return refuse('concurrency', jobs.problem.message, jobs.problem.fix)
    if (perMinute && 'problem' in perMinute) return refuse('requestsPerMinute', perMinute.problem.message, perMinute.problem.fix)
    if ('problem' in seconds) return refuse('timeoutSeconds', seconds.problem.message, seconds.problem.fix)
    const profileId = form.id.trim() || profileIdFrom(form.name)
    if (profileId === '') return refuse('name', 'Give the provider a name; its id is made from it.')
    const profile: CustomProfile = {
      kind: 'custom',
      id: profileId,
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
      priceSource: form.priceSource.trim() || USER_PRICE_SOURCE,
      concurrency: jobs.value,
      ...(perMinute ? { requestsPerMinute: perMinute.value } : {}),
      timeoutSeconds: seconds.value,
    }
    const refused: { problem: FieldProblem | null } = { problem: null }
    const saved = await run(async () => {
      try {
        const summary = await stores.providers.getState().saveProfile(profile)
        onKeyNotice?.(noticeText(summary.keyNotice))
      } catch (err) {
        refused.problem = fieldProblemOf(err)
        throw err
      }
    })
    if (saved) return onDone()
    if (refused.problem) refuse(refused.problem.field, refused.problem.message, refused.problem.fix)
  }

  const title = existing ? `Settings for ${existing.name}` : 'New custom provider'
  return (
    <form ref={formRef} noValidate className="settings-form" aria-label={title} onSubmit={(e) => void save(e)}>
      <h3 className="field-heading">{title}</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" value={form.name} maxLength={PROFILE_TEXT_LIMITS.name} placeholder="Studio proxy" {...invalid('name')} onChange={(e) => setName(e.target.value)} />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-id`}>Profile id</label>
          <input
            id={`${id}-id`}
            type="text"
            className="mono"
            value={form.id}
            readOnly={existing !== null}
            spellCheck={false}
            {...invalid('id')}
            aria-describedby={problem?.field === 'id' ? `${id}-id-error` : `${id}-id-hint`}
            onChange={(e) => {
              setIdTyped(e.target.value !== '')
              set({ id: e.target.value })
            }}
          />
          {fieldError('id') ?? (
            <p className="hint" id={`${id}-id-hint`}>
              {existing ? 'Fixed once the provider is added.' : 'Made from the name; lowercase letters, digits and dashes.'}
            </p>
          )}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-baseUrl`}>Base URL</label>
        <input id={`${id}-baseUrl`} type="url" className="mono" value={form.baseUrl} {...invalid('baseUrl')} onChange={(e) => set({ baseUrl: e.target.value })} />
        {fieldError('baseUrl')}
        <p className="hint">
          With its version segment, e.g. https://proxy.example.com/v1. Proofsheet adds /images/generations and /images/edits. A stored key is sent only to
          the host it was entered for: after changing the host, rotate the key under Keys.
        </p>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-modelId`}>Model id</label>
          <input id={`${id}-modelId`} type="text" className="mono" value={form.modelId} {...invalid('modelId')} onChange={(e) => set({ modelId: e.target.value })} />
          {fieldError('modelId')}
        </div>
        <SelectField id={`${id}-auth`} label="Authentication" value={form.auth} choices={AUTH_CHOICES} onChange={(v) => set({ auth: v === 'x-api-key' ? 'x-api-key' : 'bearer' })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-sizes`}>Sizes</label>
        <input id={`${id}-sizes`} type="text" className="mono" value={form.sizes} {...invalid('sizes')} onChange={(e) => set({ sizes: e.target.value })} />
        {fieldError('sizes')}
        <label className="check-label">
          <input type="checkbox" checked={form.customSizes} onChange={(e) => set({ customSizes: e.target.checked })} />
          Also accept other sizes (multiples of {CUSTOM_PROFILE_SIZES.multipleOf}, {CUSTOM_PROFILE_SIZES.min} to {CUSTOM_PROFILE_SIZES.max} px)
        </label>
      </div>
      <fieldset className="field">
        <legend>Output formats</legend>
        <div className="check-row">
          {OUTPUT_FORMATS.map((f) => (
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
        {fieldError('formats')}
      </fieldset>
      <div className="form-row">
        <SelectField
          id={`${id}-format-field`}
          label="Format parameter"
          value={form.formatField}
          choices={[
            { value: 'output_format', label: 'output_format' },
            { value: 'format', label: 'format' },
          ]}
          onChange={(v) => set({ formatField: v === 'format' ? 'format' : 'output_format' })}
        />
        <SelectField
          id={`${id}-refs`}
          label="Reference images"
          value={form.references}
          choices={REFERENCE_CHOICES}
          onChange={(v) => set({ references: REFERENCE_CHOICES.find((c) => c.value === v)?.value ?? 'none' })}
        />
        <div className="field">
          <label htmlFor={`${id}-maxImagesPerCall`}>Images per call</label>
          <input id={`${id}-maxImagesPerCall`} type="number" {...PROFILE_LIMITS.maxImagesPerCall} value={form.maxImagesPerCall} {...invalid('maxImagesPerCall')} onChange={(e) => set({ maxImagesPerCall: e.target.value })} />
          {fieldError('maxImagesPerCall')}
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-concurrency`}>Jobs at once</label>
          <input id={`${id}-concurrency`} type="number" {...PROFILE_LIMITS.concurrency} value={form.concurrency} {...invalid('concurrency')} onChange={(e) => set({ concurrency: e.target.value })} />
          {fieldError('concurrency')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-requestsPerMinute`}>Requests per minute</label>
          <input
            id={`${id}-requestsPerMinute`}
            {...invalid('requestsPerMinute')}
            type="number"
            {...PROFILE_LIMITS.requestsPerMinute}
            value={form.requestsPerMinute}
            placeholder="no limit"
            onChange={(e) => set({ requestsPerMinute: e.target.value })}
          />
          {fieldError('requestsPerMinute')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-timeoutSeconds`}>Timeout (seconds)</label>
          <input id={`${id}-timeoutSeconds`} type="number" {...PROFILE_LIMITS.timeoutSeconds} value={form.timeoutSeconds} {...invalid('timeoutSeconds')} onChange={(e) => set({ timeoutSeconds: e.target.value })} />
          {fieldError('timeoutSeconds')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>Currency</label>
          <input id={`${id}-currency`} type="text" className="mono" maxLength={3} value={form.currency} {...invalid('currency')} onChange={(e) => set({ currency: e.target.value })} />
          {fieldError('currency')}
        </div>
      </div>
      <PriceTableEditor idPrefix={id} rows={rows} currency={form.currency || 'USD'} pixelSizes onChange={setRows} />
      <div className="field">
        <label htmlFor={`${id}-priceSource`}>Where these prices come from</label>
        <input id={`${id}-priceSource`} type="text" value={form.priceSource} maxLength={PROFILE_TEXT_LIMITS.priceSource} {...invalid('priceSource')} onChange={(e) => set({ priceSource: e.target.value })} />
        {fieldError('priceSource')}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      <FormActions action={existing ? 'Save' : 'Add provider'} busyAction="Saving…" busy={busy} onCancel={onDone} />
    </form>
  )
}
