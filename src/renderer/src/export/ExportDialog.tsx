import { useEffect, useId, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { FORMAT_TRAITS, MAX_EXPORT_OUTPUTS, OUTPUT_FORMATS, type ExportPreset, type ExportSelection, type ExportState } from '../../../shared/api'
import { plural, pluralWord } from '../../../shared/format/plural'
import { FORMAT_NAMES } from '../ui/format/output-format'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { usePreview } from '../ui/hooks/use-preview'
import { ModalDialog } from '../ui/ModalDialog'
import {
  describeSelection,
  inFolder,
  isUntouched,
  originalOutput,
  presetOutput,
  progressText,
  toRequest,
  type ExportDraft,
  type OutputDraft,
} from './export-form'
import { useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import './export.css'

/**
 * The Export dialog: where the files go, how they are named, which outputs each image yields,
 * then progress and a summary. The engine does the work and all real checks; this form only
 * previews (debounced, stale replies dropped) and shows what the engine says. The calls go through
 * the exports store. The export keeps running in the engine if the dialog is closed; "Cancel
 * export" stops it.
 */

const PREVIEW_DEBOUNCE_MS = 250

export interface ExportDialogProps {
  selection: ExportSelection
  onClose(): void
}

export function ExportDialog({ selection, onClose }: ExportDialogProps): ReactNode {
  const exports = useStores().exports
  const titleId = useId()
  const [draft, setDraft] = useState<ExportDraft>(() => ({ folder: '', naming: '', outputs: [originalOutput()], manifest: 'csv', zip: false }))
  const choices = useStore(exports, (s) => s.choices)
  const choicesError = useStore(exports, (s) => s.choicesError)
  const [startError, setStartError] = useState<ErrorNoteData | null>(null)
  const [exportId, setExportId] = useState<string | null>(null)
  const state = useStore(exports, (s): ExportState | null => (exportId ? (s.exports[exportId] ?? null) : null))
  const [starting, setStarting] = useState(false)
  const presets = choices?.presets ?? []
  const fields = choices?.fields ?? []

  useEffect(() => {
    void exports.getState().loadChoices()
  }, [exports])
  // The naming starts as the engine's default, once it is known.
  useEffect(() => {
    if (choices) setDraft((d) => (d.naming ? d : { ...d, naming: choices.defaultNaming }))
  }, [choices])

  // The preview: counts, the first file names and the folder check, a moment after typing stops.
  const request = draft.naming ? toRequest(draft, selection) : null
  const previewState = usePreview(state ? null : request, exports.getState().preview, PREVIEW_DEBOUNCE_MS)
  const preview = previewState.value
  const previewError = previewState.error ?? choicesError

  const running = state?.status === 'running'
  const update = (patch: Partial<ExportDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const updateOutput = (key: string, patch: Partial<OutputDraft>) =>
    setDraft((d) => ({ ...d, outputs: d.outputs.map((o) => (o.key === key ? { ...o, ...patch } : o)) }))
  const addPreset = (preset: ExportPreset) =>
    setDraft((d) => {
      const kept = d.outputs.length === 1 && isUntouched(d.outputs[0]!) ? [] : d.outputs
      // A preset's naming (it says which source size each file came from) replaces the default,
      // never a template the person typed.
      const naming = preset.naming && (!d.naming || d.naming === choices?.defaultNaming) ? preset.naming : d.naming
      return { ...d, naming, outputs: [...kept, presetOutput(preset)].slice(0, MAX_EXPORT_OUTPUTS) }
    })

  const start = async () => {
    if (!request) return
    setStarting(true)
    setStartError(null)
    try {
      setExportId((await exports.getState().start(request)).id)
    } catch (err) {
      setStartError(toErrorNote(err))
    } finally {
      setStarting(false)
    }
  }
  const cancel = () => {
    if (exportId) exports.getState().cancel(exportId).catch((err: unknown) => setStartError(toErrorNote(err)))
  }
  const pickFolder = window.proofsheet?.pickFolder
  const choose = async () => {
    const picked = await pickFolder?.()
    if (picked) update({ folder: picked })
  }

  const folderProblem = draft.folder.trim() ? preview?.folderProblem ?? null : null
  const canStart = !!request && previewState.status === 'ready' && !!preview && !preview.folderProblem && !previewError && !starting && !running

  return (
    // While files are being written the dialog stays: Cancel export is the way out.
    <ModalDialog labelledBy={titleId} onClose={() => !running && onClose()} className="export-dialog">
      <header className="export-head">
        <h2 id={titleId}>Export images</h2>
        <p className="hint">
          {describeSelection(selection)}
          {preview ? ` · ${plural(preview.images, 'image')} → ${plural(preview.files, 'file')}` : ''}
        </p>
      </header>

      {state && state.status !== 'running' ? (
        <ExportSummary state={state} />
      ) : state ? (
        <div className="export-progress">
          <progress aria-label="Export progress" max={Math.max(1, state.images)} value={state.imagesDone} />
          <p aria-live="polite">{progressText(state)}</p>
          {state.current ? <p className="hint export-current">{state.current}</p> : null}
        </div>
      ) : (
        <form
          className="export-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (canStart) void start()
          }}
        >
          <div className="field">
            <label htmlFor={`${titleId}-folder`}>Folder</label>
            <div className="export-folder-row">
              <input
                id={`${titleId}-folder`}
                data-autofocus
                type="text"
                value={draft.folder}
                placeholder="/home/you/Exports/shop"
                spellCheck={false}
                aria-invalid={folderProblem ? true : undefined}
                aria-describedby={`${titleId}-folder-note`}
                onChange={(e) => update({ folder: e.target.value })}
              />
              {pickFolder ? (
                <button type="button" className="button-quiet" onClick={() => void choose()}>
                  Choose…
                </button>
              ) : null}
            </div>
            <p id={`${titleId}-folder-note`} className={folderProblem ? 'export-problem' : 'hint'}>
              {folderProblem ?? 'A full path; missing folders are created. Files already there are never overwritten.'}
            </p>
          </div>

          <div className="field">
            <label htmlFor={`${titleId}-naming`}>Naming template</label>
            <input
              id={`${titleId}-naming`}
              type="text"
              value={draft.naming}
              spellCheck={false}
              aria-describedby={`${titleId}-example`}
              onChange={(e) => update({ naming: e.target.value })}
            />
            <p id={`${titleId}-example`} className="hint" aria-live="polite">
              {preview?.examples[0] ? (
                <>
                  First file: <code>{preview.examples[0]}</code>
                </>
              ) : (
                'The first file name appears here.'
              )}
            </p>
            {fields.length > 0 ? (
              <details className="export-fields">
                <summary>Fields</summary>
                <dl>
                  {fields.map((f) => (
                    <div key={f.name}>
                      <dt>
                        <code>{`{${f.name}}`}</code>
                      </dt>
                      <dd>{f.help}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            ) : null}
          </div>

          <fieldset className="field">
            <legend>Outputs</legend>
            <div className="export-presets">
              {presets.map((p) => (
                <button key={p.id} type="button" className="button-quiet" onClick={() => addPreset(p)}>
                  {p.label}
                </button>
              ))}
              <button
                type="button"
                className="button-quiet"
                disabled={draft.outputs.length >= MAX_EXPORT_OUTPUTS}
                onClick={() => update({ outputs: [...draft.outputs, originalOutput()] })}
              >
                Add output
              </button>
            </div>
            <ol className="export-outputs">
              {draft.outputs.map((o, i) => (
                <OutputRow
                  key={o.key}
                  index={i}
                  output={o}
                  removable={draft.outputs.length > 1}
                  onChange={(patch) => updateOutput(o.key, patch)}
                  onRemove={() => update({ outputs: draft.outputs.filter((x) => x.key !== o.key) })}
                />
              ))}
            </ol>
          </fieldset>

          <div className="export-options">
            <div className="field">
              <label htmlFor={`${titleId}-manifest`}>Manifest</label>
              <select id={`${titleId}-manifest`} value={draft.manifest} onChange={(e) => update({ manifest: e.target.value as ExportDraft['manifest'] })}>
                <option value="csv">CSV</option>
                <option value="json">JSON</option>
                <option value="none">None</option>
              </select>
            </div>
            <label className="export-check">
              <input type="checkbox" checked={draft.zip} onChange={(e) => update({ zip: e.target.checked })} />
              Also write a ZIP of the exported files
            </label>
          </div>
          {previewError ? <ErrorNote error={previewError} /> : null}
        </form>
      )}

      {startError ? <ErrorNote error={startError} /> : null}
      <footer className="export-actions">
        {running ? (
          <button type="button" className="button-quiet" onClick={cancel}>
            Cancel export
          </button>
        ) : (
          <button type="button" className="button-quiet" onClick={onClose}>
            {state ? 'Close' : 'Cancel'}
          </button>
        )}
        {state ? null : (
          <button type="button" className="button-primary export-start" disabled={!canStart} onClick={() => void start()}>
            {starting ? 'Starting…' : 'Start export'}
          </button>
        )}
      </footer>
    </ModalDialog>
  )
}

function OutputRow(props: {
  index: number
  output: OutputDraft
  removable: boolean
  onChange(patch: Partial<OutputDraft>): void
  onRemove(): void
}): ReactNode {
  const { index, output: o, onChange } = props
  const n = index + 1
  const sized = o.width.trim() !== '' || o.height.trim() !== ''
  return (
    <li className="export-output" aria-label={`Output ${n}`}>
      <input type="text" aria-label={`Output ${n} label`} placeholder="label" value={o.label} onChange={(e) => onChange({ label: e.target.value })} />
      <select aria-label={`Output ${n} format`} value={o.format} onChange={(e) => onChange({ format: e.target.value as OutputDraft['format'] })}>
        <option value="">Keep format</option>
        {OUTPUT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {FORMAT_NAMES[f]}
          </option>
        ))}
      </select>
      <input
        type="number"
        aria-label={`Output ${n} quality`}
        placeholder="quality"
        min={1}
        max={100}
        disabled={o.format !== '' && !FORMAT_TRAITS[o.format].lossy}
        value={o.quality}
        onChange={(e) => onChange({ quality: e.target.value })}
      />
      <input type="number" aria-label={`Output ${n} width`} placeholder="width" min={1} value={o.width} onChange={(e) => onChange({ width: e.target.value })} />
      <span aria-hidden="true">×</span>
      <input type="number" aria-label={`Output ${n} height`} placeholder="height" min={1} value={o.height} onChange={(e) => onChange({ height: e.target.value })} />
      <select aria-label={`Output ${n} fit`} disabled={!sized} value={o.fit} onChange={(e) => onChange({ fit: e.target.value as OutputDraft['fit'] })}>
        <option value="cover">Crop to fill</option>
        <option value="contain">Fit inside, pad</option>
      </select>
      {props.removable ? (
        <button type="button" className="button-quiet" aria-label={`Remove output ${n}`} onClick={props.onRemove}>
          Remove
        </button>
      ) : null}
    </li>
  )
}

function ExportSummary({ state }: { state: ExportState }): ReactNode {
  const headline =
    state.status === 'done'
      ? `Exported ${plural(state.files, 'file')}`
      : state.status === 'canceled'
        ? `Canceled — ${state.files} complete ${pluralWord(state.files, 'file')} kept`
        : `Export failed after ${plural(state.files, 'file')}`
  return (
    <section className="export-summary" aria-label="Export result" role="status">
      <p className={`export-headline status-${state.status}`}>{headline}</p>
      <dl>
        <dt>Folder</dt>
        <dd>
          <code>{state.folder}</code>
        </dd>
        {state.manifest ? (
          <>
            <dt>Manifest</dt>
            <dd>
              <code>{inFolder(state.folder, state.manifest)}</code>
            </dd>
          </>
        ) : null}
        {state.zip ? (
          <>
            <dt>ZIP</dt>
            <dd>
              <code>{inFolder(state.folder, state.zip)}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {state.error ? <ErrorNote error={{ message: state.error }} /> : null}
    </section>
  )
}
