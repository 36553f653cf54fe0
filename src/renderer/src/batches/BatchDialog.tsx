import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { useMenuRequest } from '../app/app-commands'
import { ModalDialog } from '../ui/ModalDialog'
import {
  Quality,
  QUALITIES,
  sizeLabel,
  type BatchInputDraft,
  type BatchPreview,
  type ProviderSummary,
  type SizeSpec,
  type TemplateView,
} from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { formatMoney } from '../ui/format/money'
import { useProviders, useStores, useTemplatesStore } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { FilePicker } from '../ui/FilePicker'
import { usePreview } from '../ui/hooks/use-preview'
import { useTemplates } from '../templates/templates-store'
import './batches.css'
import { SelectField } from '../ui/SelectField'

/**
 * SKU batches from the workspace: a template, a table of rows (a CSV file or cells pasted from a
 * spreadsheet), a provider and sizes. The engine checks and prices every row while the user edits;
 * nothing is queued until "Run batch". Then the dialog follows the batch's progress. The calls go
 * through the batches store (batch-store.ts); the form's draft is this dialog's own.
 */
export function NewBatchButton(): ReactNode {
  const [open, setOpen] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const close = (): void => {
    setOpen(false)
    opener.current?.focus()
  }
  useMenuRequest('new-batch', () => setOpen(true))
  return (
    <>
      <button ref={opener} type="button" className="button-quiet" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        New batch
      </button>
      {open ? <BatchDialog onClose={close} /> : null}
    </>
  )
}

function BatchDialog({ onClose }: { onClose(): void }): ReactNode {
  const headingId = useId()
  const [batchId, setBatchId] = useState<string | null>(null)

  // A native modal <dialog>: the page behind is inert, focus stays inside, Escape closes it.
  return (
    <ModalDialog labelledBy={headingId} onClose={onClose} className="batch-dialog">
      <div className="panel-header">
        <h2 id={headingId}>New batch</h2>
        <button type="button" className="button-quiet" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
      {batchId === null ? <BatchSetup onRun={setBatchId} /> : <BatchProgressPanel batchId={batchId} />}
    </ModalDialog>
  )
}

interface Draft {
  templateId: string
  table: string
  sourceName: string | null
  providerId: string
  keyId: string
  /** Chosen from the provider's list as values, so nothing here reads size text. */
  sizes: SizeSpec[]
  quality: Quality
  budget: string
}

function toInput(draft: Draft, template: TemplateView | undefined, provider: ProviderSummary | undefined): BatchInputDraft | string {
  if (!template) return 'Choose a template.'
  if (!provider) return 'Choose a provider.'
  if (!draft.table.trim()) return 'Load a CSV file or paste a table of rows.'
  if (draft.sizes.length === 0) return 'Pick at least one size.'
  if (provider.needsKey && !draft.keyId) return `Choose a ${provider.name} key.`
  const budget = draft.budget.trim() === '' ? undefined : Number(draft.budget)
  if (budget !== undefined && (!Number.isFinite(budget) || budget < 0)) return 'The budget cap must be an amount of 0 or more.'
  return {
    template: { name: template.name, body: template.body, defaults: template.defaults },
    table: draft.table,
    ...(draft.sourceName ? { sourceName: draft.sourceName } : {}),
    settings: {
      provider: provider.id,
      sizes: draft.sizes,
      quality: draft.quality,
      ...(provider.needsKey ? { key: { keyId: draft.keyId } } : {}),
    },
    ...(budget !== undefined ? { budget } : {}),
  }
}

const PREVIEW_DEBOUNCE_MS = 250

function BatchSetup({ onRun }: { onRun(batchId: string): void }): ReactNode {
  const batches = useStores().batches
  const providers = useProviders((s) => s.providers)
  const keys = useProviders((s) => s.keys)
  const templatesStore = useTemplatesStore()
  const templatesStatus = useTemplates(templatesStore, (s) => s.status)
  const templateList = useTemplates(templatesStore, (s) => s.templates)
  const templatesError = useTemplates(templatesStore, (s) => s.error)
  const templates = templatesStatus === 'ready' ? templateList : null
  const [draft, setDraft] = useState<Draft>({ templateId: '', table: '', sourceName: null, providerId: '', keyId: '', sizes: [], quality: 'auto', budget: '' })
  const [error, setError] = useState<ErrorNoteData | null>(null)
  const [running, setRunning] = useState(false)
  const ids = { template: useId(), rows: useId(), paste: useId(), provider: useId(), key: useId(), quality: useId(), budget: useId(), status: useId() }

  const update = (change: Partial<Draft>): void => setDraft((d) => ({ ...d, ...change }))
  const provider = providers.find((p) => p.id === draft.providerId)
  const template = templates?.find((t) => t.id === draft.templateId)
  const providerKeys = keys.filter((k) => k.provider === draft.providerId)

  // Start on a provider that can run now (the free demo, or one with a key), with its first size.
  useEffect(() => {
    if (draft.providerId || providers.length === 0) return
    const start = providers.find((p) => !p.needsKey) ?? providers[0]!
    update({ providerId: start.id, sizes: start.sizes.slice(0, 1) })
  }, [providers, draft.providerId])

  const input = toInput(draft, template, provider)
  const previewState = usePreview(typeof input === 'string' ? null : input, batches.getState().preview, PREVIEW_DEBOUNCE_MS)
  const preview = previewState.value
  const checking = previewState.status === 'loading'
  const shownError = error ?? previewState.error ?? templatesError

  const loadFile = async (file: File | undefined): Promise<void> => {
    if (!file) return
    try {
      update({ table: await file.text(), sourceName: file.name })
    } catch (err) {
      setError(toErrorNote(err))
    }
  }

  const run = async (): Promise<void> => {
    if (typeof input === 'string') return
    setRunning(true)
    setError(null)
    try {
      onRun(await batches.getState().run(input))
    } catch (err) {
      setError(toErrorNote(err))
      setRunning(false)
    }
  }

  const blocker =
    typeof input === 'string'
      ? input
      : checking || !preview || previewState.status !== 'ready'
        ? 'Checking the rows…'
        : preview.problems.length > 0
          ? 'Fix the table problems listed above.'
          : preview.validRows === 0
            ? 'No row can run yet: fix the rows marked invalid.'
            : null

  return (
    <div className="batch-setup">
      <div className="batch-form">
        <div className="field">
          <label htmlFor={ids.template}>Template</label>
          <select id={ids.template} value={draft.templateId} onChange={(e) => update({ templateId: e.target.value })} disabled={templates === null}>
            <option value="">{templates === null ? 'Loading templates…' : 'Choose a template'}</option>
            {templates?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          {template ? <p className="hint">Variables: {template.variables.map((v) => `{{${v}}}`).join(', ') || 'none'}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={ids.rows}>Rows (CSV)</label>
          <div className="batch-file">
            <FilePicker
              id={ids.rows}
              label="Rows (CSV)"
              buttonText={draft.sourceName ? 'Choose another file…' : 'Choose a CSV file…'}
              accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
              onFiles={(files) => void loadFile(files[0])}
            />
            {draft.sourceName ? <span className="batch-file-name">{draft.sourceName}</span> : null}
          </div>
          <p className="hint">
            Columns named like the template's variables fill them; optional columns: sku, reference, sizes, count, quality.
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.paste}>Or paste a table</label>
          <textarea
            id={ids.paste}
            rows={5}
            value={draft.table}
            spellCheck={false}
            placeholder={'sku\tproduct\nA-100\tred kettle'}
            onChange={(e) => update({ table: e.target.value })}
          />
        </div>
        <div className="batch-form-row">
          <div className="field">
            <label htmlFor={ids.provider}>Batch provider</label>
            <select
              id={ids.provider}
              value={draft.providerId}
              onChange={(e) => {
                const next = providers.find((p) => p.id === e.target.value)
                update({ providerId: e.target.value, keyId: '', sizes: next?.sizes.slice(0, 1) ?? [] })
              }}
            >
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          {provider?.needsKey ? (
            <div className="field">
              <label htmlFor={ids.key}>Batch key</label>
              <select id={ids.key} value={draft.keyId} onChange={(e) => update({ keyId: e.target.value })}>
                <option value="">{providerKeys.length ? 'Choose a key' : 'No key stored (add one in Settings)'}</option>
                {providerKeys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <SelectField
            id={ids.quality}
            label="Quality"
            value={draft.quality}
            choices={QUALITIES.map((q) => ({ value: q, label: q }))}
            onChange={(v) => update({ quality: Quality.safeParse(v).data ?? 'auto' })}
          />
          <div className="field">
            <label htmlFor={ids.budget}>Budget cap ({provider?.currency ?? 'USD'})</label>
            <input id={ids.budget} type="number" min="0" step="0.01" inputMode="decimal" placeholder="No cap" value={draft.budget} onChange={(e) => update({ budget: e.target.value })} />
          </div>
        </div>
        <fieldset className="field batch-sizes">
          <legend>Batch sizes</legend>
          {provider?.sizes.map((size) => {
            const label = sizeLabel(size)
            const others = draft.sizes.filter((s) => sizeLabel(s) !== label)
            return (
              <label key={label} className="batch-size">
                <input
                  type="checkbox"
                  checked={others.length < draft.sizes.length}
                  onChange={(e) => update({ sizes: e.target.checked ? [...others, size] : others })}
                />
                {label}
              </label>
            )
          })}
        </fieldset>
      </div>

      {shownError ? <ErrorNote error={shownError} /> : null}
      <BatchPreviewTable preview={preview} checking={checking} />

      <div className="batch-actions">
        <p id={ids.status} className="hint" aria-live="polite">
          {blocker ?? `Queues ${preview!.jobs} job(s) for ${formatMoney(preview!.total, preview!.currency)}${preview!.invalidRows ? `; ${preview!.invalidRows} invalid row(s) are left out` : ''}.`}
        </p>
        <button type="button" className="button-primary" disabled={blocker !== null || running} aria-describedby={ids.status} onClick={() => void run()}>
          Run batch
        </button>
      </div>
    </div>
  )
}

export function BatchPreviewTable({ preview, checking }: { preview: BatchPreview | null; checking: boolean }): ReactNode {
  if (!preview) {
    return (
      <section className="batch-preview batch-preview-empty" aria-label="Batch preview" aria-busy={checking}>
        <p>{checking ? 'Checking the rows…' : 'The preview appears here: every row, its prompt, sizes and cost, before anything runs.'}</p>
      </section>
    )
  }
  const sizes = [...new Set([...preview.sizes, ...preview.rows.flatMap((r) => r.sizes)])]
  const money = (amount: number | null) => formatMoney(amount, preview.currency)
  return (
    <section className="batch-preview" aria-label="Batch preview" aria-busy={checking}>
      <ul className="batch-report">
        {preview.columns
          .filter((c) => c.role !== 'unmatched')
          .map((c) => (
            <li key={c.header}>
              <strong>{c.header}</strong> → {c.role === 'variable' ? c.variables.map((v) => `{{${v}}}`).join(', ') : c.role}
            </li>
          ))}
        {preview.unmatchedHeaders.length ? <li className="batch-warn">Not used by the template: {preview.unmatchedHeaders.join(', ')}</li> : null}
        {preview.unfilledVariables.map((v) => (
          <li key={v.name} className={v.default === null ? 'batch-bad' : undefined}>
            {v.default === null ? `No column for {{${v.name}}} and no default` : `{{${v.name}}} uses its default "${v.default}"`}
          </li>
        ))}
      </ul>
      {preview.problems.length ? (
        <ul className="batch-problems" role="alert">
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="batch-table-wrap">
        <table className="batch-table">
          <caption className="batch-visually-hidden">Rows by sizes, with each row's prompt and cost</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">SKU</th>
              <th scope="col">Prompt</th>
              {sizes.map((s) => (
                <th key={s} scope="col" className="batch-num">
                  {s}
                </th>
              ))}
              <th scope="col" className="batch-num">
                Cost
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => {
              const invalid = r.problems.length > 0
              return (
                <tr key={r.row} className={invalid ? 'batch-row-invalid' : undefined}>
                  <th scope="row">{r.row}</th>
                  <td>{r.sku ?? '—'}</td>
                  <td className="batch-prompt">{r.prompt}</td>
                  {sizes.map((s) => {
                    const line = r.lines.find((l) => l.size === s)
                    return (
                      <td key={s} className="batch-num">
                        {line ? `${r.count > 1 ? `${r.count} × ` : ''}${money(line.subtotal)}` : '—'}
                      </td>
                    )
                  })}
                  <td className="batch-num">{invalid ? '—' : money(r.cost)}</td>
                  <td>{invalid ? r.problems.map((p) => `${p.field}: ${p.message}`).join(' ') : 'Ready'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="batch-total">
        {preview.validRows} valid, {preview.invalidRows} invalid · {preview.jobs} job(s) · Total {money(preview.total)}
        {preview.budget !== null ? ` · Cap ${money(preview.budget)}` : ''}
      </p>
      {preview.budget !== null && preview.total !== null && preview.total > preview.budget ? (
        <p className="batch-warn">The total is over the cap: the queue runs rows until the cap is reached and holds the rest.</p>
      ) : null}
    </section>
  )
}

function BatchProgressPanel({ batchId }: { batchId: string }): ReactNode {
  const batches = useStores().batches
  const view = useStore(batches, (s) => s.progress[batchId])
  useEffect(() => batches.getState().follow(batchId), [batches, batchId])
  const status = view?.status ?? null
  const error = view?.error ?? null

  if (!status) {
    return (
      <section className="batch-run" aria-label="Batch progress" aria-busy="true">
        {error ? <ErrorNote error={error} /> : <p>Starting the batch…</p>}
      </section>
    )
  }
  const finished = status.done + status.failed + status.canceled
  const open = status.remaining + status.running
  return (
    <section className="batch-run" aria-label="Batch progress">
      <p className="batch-run-name">{status.name}</p>
      <progress className="batch-run-bar" max={Math.max(1, status.jobs)} value={finished} aria-label="Jobs finished">
        {finished} of {status.jobs}
      </progress>
      <dl className="batch-run-counts">
        <div><dt>Done</dt><dd>{status.done}</dd></div>
        <div><dt>Failed</dt><dd>{status.failed}</dd></div>
        <div><dt>Remaining</dt><dd>{status.remaining + status.running}{status.held ? ` (${status.held} held)` : ''}</dd></div>
        <div><dt>Spent</dt><dd>{formatMoney(status.spent, status.currency)}{status.budget ? ` of ${formatMoney(status.budget.amount, status.currency)}` : ''}</dd></div>
      </dl>
      {status.heldReason ? <p className="batch-warn" role="status">{status.heldReason}</p> : null}
      {status.failures.length ? (
        <ul className="batch-problems">
          {status.failures.map((f) => (
            <li key={f.jobId}>
              Row {f.row ?? '?'}{f.sku ? ` (${f.sku})` : ''}, {f.size}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {open === 0 && status.failed === 0 ? <p className="batch-ok" role="status">Batch finished: {status.done} image job(s) done.</p> : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="batch-run-actions">
        <button type="button" className="button-quiet" disabled={status.failed === 0} onClick={() => void batches.getState().retryFailed(batchId)}>
          Retry failed
        </button>
        <button type="button" className="button-quiet" disabled={open === 0} onClick={() => void batches.getState().cancel(batchId)}>
          Cancel the rest
        </button>
      </div>
    </section>
  )
}
