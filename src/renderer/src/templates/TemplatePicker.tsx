import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { describeTemplateProblem, ownValue, renderTemplate } from '../../../shared/templates/template-text'
import { useStores, useTemplatesStore } from '../app/stores-context'
import { useTemplates, variableValues } from './templates-store'
import './templates.css'
import { ErrorNote } from '../ui/ErrorNote'
import { SaveAsTemplate } from './SaveAsTemplate'
import { TemplatePreview } from './TemplatePreview'

/**
 * Above the prompt: choose a template, fill its variables, read the final prompt. The final
 * prompt is written into the Generate form's prompt as it changes; while a variable is still
 * empty the prompt stays empty, so nothing half-filled can be generated. Nothing typed is lost:
 * a template that replaces a hand-written prompt offers Undo, and editing the filled prompt by
 * hand lets go of the template but keeps its values, with a button to take it back.
 */
export function TemplatePicker(): ReactNode {
  const stores = useStores()
  const store = useTemplatesStore()
  const status = useTemplates(store, (s) => s.status)
  const templates = useTemplates(store, (s) => s.templates)
  const error = useTemplates(store, (s) => s.error)
  const activeId = useTemplates(store, (s) => s.activeId)
  const typed = useTemplates(store, (s) => s.values)
  const detachedId = useTemplates(store, (s) => s.detachedId)
  const replaced = useTemplates(store, (s) => s.replaced)
  const pushed = useRef<string | null>(null)

  const active = templates.find((t) => t.id === activeId)
  const detachedFrom = templates.find((t) => t.id === detachedId)
  const values = useMemo(() => (active ? variableValues(active, typed) : {}), [active, typed])
  const rendered = useMemo(() => (active ? renderTemplate(active.body, values) : null), [active, values])
  const finalPrompt = rendered ? (rendered.complete ? rendered.text : '') : null

  useEffect(() => {
    if (finalPrompt === null) return
    pushed.current = finalPrompt
    const generate = stores.generate.getState()
    if (generate.prompt !== finalPrompt) generate.setPrompt(finalPrompt)
  }, [finalPrompt, stores])

  useEffect(
    () =>
      stores.generate.subscribe((next, prev) => {
        if (next.prompt === prev.prompt || next.prompt === pushed.current) return
        if (store.getState().activeId === null) {
          // Typing after a template replaced the prompt: Undo would now throw that typing away.
          if (store.getState().replaced !== null) store.getState().setReplaced(null)
          return
        }
        store.getState().detach()
      }),
    [stores, store],
  )

  const loading = status === 'idle' || status === 'loading'
  /** The prompt as the user wrote it, when a template is about to write over it; else null. */
  const handWritten = (): string | null => {
    const prompt = stores.generate.getState().prompt
    return store.getState().activeId === null && prompt.trim() !== '' ? prompt : null
  }
  const choose = (id: string): void => {
    const mine = id ? handWritten() : null
    store.getState().choose(id || null)
    if (mine !== null) store.getState().setReplaced(mine)
  }
  const reattach = (): void => {
    const mine = handWritten()
    store.getState().reattach()
    if (mine !== null) store.getState().setReplaced(mine)
  }
  const undo = (): void => {
    const prompt = store.getState().replaced
    if (prompt === null) return
    store.getState().choose(null)
    stores.generate.getState().setPrompt(prompt)
  }

  return (
    <div className="template-picker">
      <div className="template-picker-head">
        <label htmlFor="template">Template</label>
        <SaveAsTemplate store={store} />
      </div>
      <select id="template" value={active?.id ?? ''} disabled={loading} aria-describedby="template-hint" onChange={(e) => choose(e.target.value)}>
        <option value="">{loading ? 'Loading templates…' : 'No template'}</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <p id="template-hint" className="hint" role="status">
        {detachedFrom ? (
          <>
            You edited the prompt, so the template let go of it. Your text stays as it is.{' '}
            <button type="button" className="button-link" onClick={reattach}>
              Re-attach “{detachedFrom.name}”
            </button>
          </>
        ) : (
          active?.notes ||
          (status === 'ready' && templates.length === 0 ? 'No templates yet: save a prompt as a template, or import some in Settings.' : '')
        )}
      </p>
      {replaced !== null ? (
        <p className="hint" role="status">
          The template replaced the prompt you had written.{' '}
          <button type="button" className="button-link" onClick={undo}>
            Undo
          </button>
        </p>
      ) : null}
      {error ? (
        <ErrorNote error={error} onRetry={() => store.getState().load()} />
      ) : null}
      {active && rendered ? (
        <>
          {active.variables.length > 0 ? (
            <fieldset className="template-variables">
              <legend>Variables</legend>
              {active.variables.map((name) => {
                const empty = rendered.missing.includes(name)
                return (
                  <div className="template-variable" key={name}>
                    <label htmlFor={`template-var-${name}`}>{name}</label>
                    <input
                      id={`template-var-${name}`}
                      type="text"
                      value={ownValue(values, name) ?? ''}
                      aria-invalid={empty || undefined}
                      onChange={(e) => store.getState().setValue(name, e.target.value)}
                    />
                  </div>
                )
              })}
            </fieldset>
          ) : null}
          <TemplatePreview rendered={rendered} />
          {rendered.complete ? null : (
            <p className="template-missing">{describeTemplateProblem(rendered)} The prompt stays empty until then.</p>
          )}
        </>
      ) : null}
    </div>
  )
}
