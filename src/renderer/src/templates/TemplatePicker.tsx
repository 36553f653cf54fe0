import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { describeTemplateProblem, renderTemplate } from '../../../shared/templates/template-text'
import { useStores } from '../app/stores-context'
import { useTemplates, useTemplatesStore, variableValues } from './templates-store'
import './templates.css'
import { ErrorNote } from '../ui/ErrorNote'
import { SaveAsTemplate } from './SaveAsTemplate'
import { TemplatePreview } from './TemplatePreview'

/**
 * Above the prompt: choose a template, fill its variables, read the final prompt. The final
 * prompt is written into the Generate form's prompt as it changes; while a variable is still
 * empty the prompt stays empty, so nothing half-filled can be generated. Editing the prompt by
 * hand detaches the template and keeps the text.
 */
export function TemplatePicker(): ReactNode {
  const stores = useStores()
  const store = useTemplatesStore()
  const status = useTemplates(store, (s) => s.status)
  const templates = useTemplates(store, (s) => s.templates)
  const error = useTemplates(store, (s) => s.error)
  const activeId = useTemplates(store, (s) => s.activeId)
  const typed = useTemplates(store, (s) => s.values)
  const [detached, setDetached] = useState(false)
  const pushed = useRef<string | null>(null)

  const active = templates.find((t) => t.id === activeId)
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
        if (store.getState().activeId === null) return
        store.getState().choose(null)
        setDetached(true)
      }),
    [stores, store],
  )

  const loading = status === 'idle' || status === 'loading'
  const choose = (id: string): void => {
    setDetached(false)
    store.getState().choose(id || null)
  }

  return (
    <div className="template-picker">
      <div className="template-picker-head">
        <label htmlFor="template">Template</label>
        <SaveAsTemplate store={store} onSaved={() => setDetached(false)} />
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
        {detached
          ? 'You edited the prompt, so the template let go of it. Your text stays as it is.'
          : active?.notes ||
            (status === 'ready' && templates.length === 0
              ? 'No templates yet: save a prompt as a template, or import some in Settings.'
              : '')}
      </p>
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
                      value={values[name] ?? ''}
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
