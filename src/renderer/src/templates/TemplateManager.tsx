import { useState, type ChangeEvent, type ReactNode } from 'react'
import { ApiError, type TemplateClash, type TemplateImportResult, type TemplateView } from '../../../shared/api'
import { ownValue } from '../../../shared/templates/template-text'
import { plural } from '../../../shared/format/plural'
import { downloadTextFile } from '../ui/files/text-file'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { useTemplates, type TemplatesStore } from './templates-store'
import { useTemplatesStore } from '../app/stores-context'
import './templates.css'
import { ErrorNote } from '../ui/ErrorNote'
import { TemplateEditor } from './TemplateEditor'

/** A clash the engine refused, waiting for the user to say what to do with it. */
interface PendingImport {
  json: string
  error: ErrorNoteData
}

function importSummary(result: TemplateImportResult): string {
  const by = (action: string): number => result.imported.filter((i) => i.action === action).length
  const parts = [
    by('created') ? `added ${plural(by('created'), 'template')}` : '',
    by('renamed') ? `added ${by('renamed')} under a new name` : '',
    by('replaced') ? `replaced ${by('replaced')}` : '',
    result.skipped.length ? `skipped ${result.skipped.length}` : '',
  ].filter(Boolean)
  return parts.length ? `Import done: ${parts.join(', ')}.` : 'The file holds no templates; nothing changed.'
}

/** Settings → Templates: list, edit, duplicate, delete, and move templates in and out as JSON. */
export function TemplateManager(): ReactNode {
  const store = useTemplatesStore()
  const status = useTemplates(store, (s) => s.status)
  const templates = useTemplates(store, (s) => s.templates)
  const loadError = useTemplates(store, (s) => s.error)
  const [editing, setEditing] = useState<TemplateView | 'new' | null>(null)
  const [message, setMessage] = useState('')
  const [error, setError] = useState<ErrorNoteData | null>(null)
  const [pending, setPending] = useState<PendingImport | null>(null)

  const run = async (action: () => Promise<string>): Promise<void> => {
    setError(null)
    try {
      setMessage(await action())
    } catch (err) {
      setMessage('')
      setError(toErrorNote(err))
    }
  }

  const importJson = (json: string, onClash: TemplateClash): Promise<void> =>
    run(async () => {
      try {
        const result = await store.getState().importFile(json, onClash)
        setPending(null)
        return importSummary(result)
      } catch (err) {
        if (err instanceof ApiError && err.code === 'conflict' && onClash === 'refuse') {
          setPending({ json, error: toErrorNote(err) })
          return ''
        }
        setPending(null)
        throw err
      }
    })

  const onFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0]
    event.target.value = '' // picking the same file again must fire again
    if (file) await importJson(await file.text(), 'refuse')
  }

  const exportTemplates = (ids?: string[]): Promise<void> =>
    run(async () => {
      const file = await store.getState().exportFile(ids)
      downloadTextFile(file.fileName, file.json)
      return `Exported ${plural(file.count, 'template')} as ${file.fileName}.`
    })

  const loading = status === 'idle' || status === 'loading'

  return (
    <section className="panel template-manager" aria-labelledby="templates-heading">
      <div className="panel-header">
        <h2 id="templates-heading">Templates</h2>
        <button type="button" className="button-quiet" onClick={() => setEditing('new')} disabled={editing !== null}>
          New template
        </button>
        <label className="button-quiet file-button">
          Import…
          <input
            className="visually-hidden"
            type="file"
            accept=".json,application/json"
            aria-label="Import templates"
            onChange={(e) => void onFile(e)}
          />
        </label>
        <button type="button" className="button-quiet" onClick={() => void exportTemplates()} disabled={templates.length === 0}>
          Export all
        </button>
      </div>
      <p className="hint">
        Prompts with {'{{variables}}'} for the Generate panel and for batches. Built-in templates are yours to change; a deleted
        one does not come back. Import and export use JSON files.
      </p>
      <p className="hint template-status" role="status">
        {message}
      </p>
      {error ? <ErrorNote error={error} /> : null}
      {pending ? (
        <ErrorNote
          error={pending.error}
          action={
            <div className="template-actions" role="group" aria-label="Name clashes">
              <button type="button" className="button-quiet" onClick={() => void importJson(pending.json, 'rename')}>
                Keep both
              </button>
              <button type="button" className="button-quiet" onClick={() => void importJson(pending.json, 'replace')}>
                Replace
              </button>
              <button type="button" className="button-quiet" onClick={() => void importJson(pending.json, 'skip')}>
                Skip those
              </button>
              <button type="button" className="button-quiet" onClick={() => setPending(null)}>
                Cancel import
              </button>
            </div>
          }
        />
      ) : null}
      {editing !== null ? (
        <TemplateEditor
          key={editing === 'new' ? 'new' : editing.id}
          store={store}
          template={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null)
            if (saved) setMessage(`Saved “${saved.name}”.`)
          }}
        />
      ) : null}
      {loadError ? (
        <ErrorNote error={loadError} onRetry={() => store.getState().load()} />
      ) : null}
      {loading && templates.length === 0 ? <p className="hint">Loading templates…</p> : null}
      {status === 'ready' && templates.length === 0 ? (
        <p className="empty-state">No templates. Create one, import a file, or save a prompt as a template in the Generate panel.</p>
      ) : null}
      {templates.length > 0 ? (
        <ul className="template-list">
          {templates.map((t) => (
            <TemplateRow
              key={t.id}
              template={t}
              store={store}
              onEdit={() => setEditing(t)}
              onExport={() => void exportTemplates([t.id])}
              run={run}
            />
          ))}
        </ul>
      ) : null}
    </section>
  )
}

function TemplateRow({
  template,
  store,
  onEdit,
  onExport,
  run,
}: {
  template: TemplateView
  store: TemplatesStore
  onEdit(): void
  onExport(): void
  run(action: () => Promise<string>): Promise<void>
}): ReactNode {
  const [confirming, setConfirming] = useState(false)
  const name = template.name
  return (
    <li className="template-row" aria-label={name}>
      <div className="template-row-main">
        <h3 className="template-row-name">{name}</h3>
        <p className="template-row-body">{template.body}</p>
        {template.variables.length ? (
          <ul className="template-chips" aria-label="Variables">
            {template.variables.map((v) => (
              <li key={v} className="template-chip">
                {v}
                {ownValue(template.defaults, v) ? <span className="template-chip-default"> = {ownValue(template.defaults, v)}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="template-actions template-row-actions">
        {confirming ? (
          <>
            <span className="template-confirm">Delete “{name}”?</span>
            <button
              type="button"
              className="button-quiet button-danger"
              onClick={() =>
                void run(async () => {
                  await store.getState().remove(template.id)
                  return `Deleted “${name}”.`
                })
              }
            >
              Delete
            </button>
            <button type="button" className="button-quiet" autoFocus onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button-quiet" aria-label={`Edit ${name}`} onClick={onEdit}>
              Edit
            </button>
            <button
              type="button"
              className="button-quiet"
              aria-label={`Duplicate ${name}`}
              onClick={() => void run(async () => `Copied as “${(await store.getState().duplicate(template.id)).name}”.`)}
            >
              Duplicate
            </button>
            <button type="button" className="button-quiet" aria-label={`Export ${name}`} onClick={onExport}>
              Export
            </button>
            <button type="button" className="button-quiet button-danger" aria-label={`Delete ${name}`} onClick={() => setConfirming(true)}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  )
}
