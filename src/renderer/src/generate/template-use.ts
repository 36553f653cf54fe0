import { renderTemplate } from '../../../shared/templates/template-text'
import { TEMPLATE_USE_MAX_VALUES, TEMPLATE_USE_VALUE_MAX, type TemplateUse, type TemplateView } from '../../../shared/api'
import { variableValues, type TemplatesState } from '../templates/templates-store'

/**
 * The template a job records (so "Use these settings" can bring it back), and what bringing it
 * back means once the template may have changed. Pure: the Generate store applies the answers.
 */

/**
 * The template the picker filled this prompt from, with its values; undefined for a hand-written
 * prompt, one edited away from its template, or values past the contract's bounds (the record is
 * a convenience: it never stops a Generate).
 */
export function templateUseFor(templates: Pick<TemplatesState, 'activeId' | 'templates' | 'values'>, prompt: string): TemplateUse | undefined {
  const template = templates.templates.find((t) => t.id === templates.activeId)
  if (!template) return undefined
  const values = variableValues(template, templates.values)
  const rendered = renderTemplate(template.body, values)
  if (!rendered.complete || rendered.text.trim() !== prompt.trim()) return undefined
  const entries = Object.entries(values)
  if (entries.length > TEMPLATE_USE_MAX_VALUES || entries.some(([name, value]) => name.length > 200 || value.length > TEMPLATE_USE_VALUE_MAX)) return undefined
  return { id: template.id, name: template.name, values }
}

/**
 * What to do with a job's recorded template: pick it again with its values when it still makes
 * the same prompt; otherwise keep the prompt as text and say why the template is not chosen.
 */
export function templateToRestore(
  templates: readonly TemplateView[],
  use: TemplateUse,
  prompt: string,
): { restore: { id: string; values: Record<string, string> } } | { note: string } {
  const template = templates.find((t) => t.id === use.id)
  if (!template) return { note: `the template “${use.name}” is no longer in the library, so the prompt is kept as text` }
  const rendered = renderTemplate(template.body, variableValues(template, use.values))
  if (!rendered.complete || rendered.text.trim() !== prompt.trim()) {
    return { note: `the template “${template.name}” has changed since, so the prompt is kept as that image had it` }
  }
  return { restore: { id: template.id, values: use.values } }
}
