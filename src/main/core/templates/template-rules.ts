import { badInput, type TemplateFields } from '../../../shared/api'
import { parseTemplate } from '../../../shared/templates/template-text'

/**
 * What a template must satisfy beyond its schema: a body without syntax errors, and defaults only
 * for variables the body uses. Shared by save and import, so a file cannot sneak in what the
 * editor would refuse. Blank defaults are dropped (blank means "no default").
 */

export interface TemplateProblem {
  /** Path of the field at fault inside the checked object, e.g. `body` or `defaults.product`. */
  path: string
  message: string
  fix: string
}

export type CheckedTemplate = { ok: true; value: TemplateFields; variables: string[] } | { ok: false; problem: TemplateProblem }

export function checkTemplate(fields: TemplateFields): CheckedTemplate {
  const parsed = parseTemplate(fields.body)
  const [error] = parsed.errors
  if (error) return { ok: false, problem: { path: 'body', message: error.message, fix: error.fix } }
  const defaults: Record<string, string> = {}
  for (const [name, value] of Object.entries(fields.defaults)) {
    if (!parsed.variables.includes(name)) {
      return {
        ok: false,
        problem: {
          path: `defaults.${name}`,
          message: `there is a default for "${name}", but the body has no {{${name}}}`,
          fix: `Remove that default, or use {{${name}}} in the body.`,
        },
      }
    }
    if (value.trim()) defaults[name] = value.trim()
  }
  return { ok: true, value: { ...fields, defaults }, variables: parsed.variables }
}

/** The checked fields of a template the user saves, or a bad_input error naming the field. */
export function requireValidTemplate(fields: TemplateFields): TemplateFields {
  const checked = checkTemplate(fields)
  if (!checked.ok) throw badInput(checked.problem.path, `${checked.problem.path}: ${checked.problem.message}`, checked.problem.fix)
  return checked.value
}

/**
 * `base`, or the first of `base<suffix(2)>`, `base<suffix(3)>`, ... that is free, cut so the
 * result still fits `max` characters.
 */
export function uniqueName(base: string, suffix: (n: number) => string, isTaken: (name: string) => boolean, max: number): string {
  for (let n = 1; ; n++) {
    const tail = suffix(n)
    const name = `${base.slice(0, max - tail.length).trimEnd()}${tail}`
    if (!isTaken(name)) return name
  }
}
