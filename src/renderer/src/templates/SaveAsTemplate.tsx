import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import { TEMPLATE_NAME_MAX } from '../../../shared/api'
import { escapeTemplateText, parseTemplate } from '../../../shared/templates/template-text'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { useGenerate } from '../app/stores-context'
import type { TemplatesStore } from './templates-store'
import { ErrorNote } from '../ui/ErrorNote'

/**
 * "Save as template": asks for a name and stores the current prompt as a template body. The text
 * is kept literally (any `{{` is escaped) unless the user says its {{names}} are variables.
 */
export function SaveAsTemplate({ store, onSaved }: { store: TemplatesStore; onSaved?(): void }): ReactNode {
  const prompt = useGenerate((s) => s.prompt).trim()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [asVariables, setAsVariables] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ErrorNoteData | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const trigger = useRef<HTMLButtonElement>(null)
  const ids = useId()

  const parsed = parseTemplate(prompt)
  const hasVariables = parsed.variables.length > 0 && parsed.errors.length === 0

  const close = (): void => {
    setOpen(false)
    setError(null)
    trigger.current?.focus()
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!name.trim() || saving) return
    setSaving(true)
    setError(null)
    try {
      const body = hasVariables && asVariables ? prompt : escapeTemplateText(prompt)
      const template = await store.getState().save({ name, body })
      store.getState().choose(template.id)
      onSaved?.()
      setSaved(template.name)
      setName('')
      setAsVariables(false)
      close()
    } catch (err) {
      setError(toErrorNote(err))
    } finally {
      setSaving(false)
    }
  }

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
  }

  return (
    <>
      <button
        ref={trigger}
        type="button"
        className="button-quiet template-save-open"
        disabled={!prompt}
        aria-expanded={open}
        title={prompt ? undefined : 'Write a prompt first'}
        onClick={() => {
          setSaved(null)
          setOpen(true)
        }}
      >
        Save as template
      </button>
      {saved ? (
        <p className="template-saved hint" role="status">
          Saved as “{saved}”.
        </p>
      ) : null}
      {open ? (
        <form className="template-save" aria-label="Save as template" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown}>
          <div className="field">
            <label htmlFor={`${ids}-name`}>Template name</label>
            <input
              id={`${ids}-name`}
              type="text"
              value={name}
              maxLength={TEMPLATE_NAME_MAX}
              autoFocus
              aria-describedby={`${ids}-hint`}
              onChange={(e) => setName(e.target.value)}
            />
            <p id={`${ids}-hint`} className="hint">
              Saves the current prompt. Add {'{{variables}}'} to it later in Settings → Templates.
            </p>
          </div>
          {hasVariables ? (
            <label className="template-check">
              <input type="checkbox" checked={asVariables} onChange={(e) => setAsVariables(e.target.checked)} />
              Treat {parsed.variables.map((v) => `{{${v}}}`).join(', ')} as variables
            </label>
          ) : null}
          {error ? <ErrorNote error={error} /> : null}
          <div className="template-actions">
            <button type="submit" className="button-quiet button-accent" disabled={!name.trim() || saving}>
              {saving ? 'Saving…' : 'Save template'}
            </button>
            <button type="button" className="button-quiet" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </>
  )
}
