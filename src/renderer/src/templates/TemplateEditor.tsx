import { useId, useMemo, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import { TEMPLATE_NAME_MAX, type TemplateView } from '../../../shared/api'
import { describeTemplateProblem, listNames, ownValue, renderTemplate } from '../../../shared/templates/template-text'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import type { TemplatesStore } from './templates-store'
import { ErrorNote } from '../ui/ErrorNote'
import { TemplatePreview } from './TemplatePreview'

/**
 * Creates or edits one template: name, body, a default per variable the body uses, notes. The
 * body is checked as it is typed with the same rules the engine applies on save.
 */
export function TemplateEditor({
  store,
  template,
  onDone,
}: {
  store: TemplatesStore
  /** The template to edit, or null for a new one. */
  template: TemplateView | null
  onDone(saved: TemplateView | null): void
}): ReactNode {
  const ids = useId()
  const [name, setName] = useState(template?.name ?? '')
  const [body, setBody] = useState(template?.body ?? '')
  const [defaults, setDefaults] = useState<Record<string, string>>(template?.defaults ?? {})
  const [notes, setNotes] = useState(template?.notes ?? '')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ErrorNoteData | null>(null)

  const rendered = useMemo(() => renderTemplate(body, {}, defaults), [body, defaults])
  const syntax = rendered.errors[0]
  const blocker = !name.trim() ? 'Give the template a name.' : !body.trim() ? 'Write the body.' : syntax ? 'Fix the body first.' : null
  const title = template ? `Edit ${template.name}` : 'New template'

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (blocker || saving) return
    setSaving(true)
    setError(null)
    // Only the variables the body still uses keep their defaults.
    const kept = Object.fromEntries(rendered.variables.filter((v) => ownValue(defaults, v)?.trim()).map((v) => [v, ownValue(defaults, v)!]))
    try {
      const saved = await store.getState().save({ ...(template ? { id: template.id } : {}), name, body, defaults: kept, notes })
      onDone(saved)
    } catch (err) {
      setError(toErrorNote(err))
      setSaving(false)
    }
  }

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onDone(null)
    }
  }

  return (
    <form className="template-editor" aria-label={title} onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown}>
      <h3>{title}</h3>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input id={`${ids}-name`} type="text" value={name} maxLength={TEMPLATE_NAME_MAX} autoFocus onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-body`}>Body</label>
        <textarea
          id={`${ids}-body`}
          rows={6}
          value={body}
          aria-invalid={syntax ? true : undefined}
          aria-describedby={`${ids}-body-hint`}
          placeholder="Studio packshot of {{product}} on a seamless white background"
          onChange={(e) => setBody(e.target.value)}
        />
        <p id={`${ids}-body-hint`} className={syntax ? 'template-missing' : 'hint'} aria-live="polite">
          {syntax
            ? `${describeTemplateProblem(rendered)} ${syntax.fix}`
            : rendered.variables.length
              ? `Variables: ${listNames(rendered.variables)}.`
              : 'Write {{name}} where a value goes (letters, digits, underscores). \\{{ gives literal braces.'}
        </p>
      </div>
      {rendered.variables.length > 0 && !syntax ? (
        <fieldset className="template-variables">
          <legend>Defaults</legend>
          {rendered.variables.map((variable) => (
            <div className="template-variable" key={variable}>
              <label htmlFor={`${ids}-default-${variable}`}>{variable}</label>
              <input
                id={`${ids}-default-${variable}`}
                type="text"
                aria-label={`Default for ${variable}`}
                value={ownValue(defaults, variable) ?? ''}
                placeholder="No default"
                onChange={(e) => setDefaults({ ...defaults, [variable]: e.target.value })}
              />
            </div>
          ))}
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor={`${ids}-notes`}>Notes</label>
        <textarea id={`${ids}-notes`} className="template-notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </div>
      {body.trim() && !syntax ? <TemplatePreview rendered={rendered} label="Preview with defaults" /> : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="template-actions">
        <button type="submit" className="button-quiet button-accent" disabled={blocker !== null || saving} aria-describedby={`${ids}-blocker`}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button-quiet" onClick={() => onDone(null)}>
          Cancel
        </button>
        <span id={`${ids}-blocker`} className="hint">
          {blocker}
        </span>
      </div>
    </form>
  )
}
