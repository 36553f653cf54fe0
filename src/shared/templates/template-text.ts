/**
 * The rules of prompt-template text, in one pure module shared by the engine (saving, importing,
 * batch expansion) and the interface (live preview), so both always agree on what a body means.
 * No I/O here and nothing that throws: problems come back as data for the caller to show.
 *
 * - A variable is `{{name}}`; spaces inside the braces are ignored (`{{ product }}`).
 * - A name starts with a letter and continues with letters, digits or underscores, at most
 *   40 characters. Names are case-sensitive: `{{Product}}` and `{{product}}` are two variables.
 * - `\{{` writes a literal `{{` (the backslash is dropped). Single braces and a `}}` outside a
 *   variable are ordinary text. A backslash anywhere else is ordinary text too.
 */

import { hasVisibleText } from '../api/generation'

export const MAX_VARIABLE_NAME_LENGTH = 40
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; name: string }

export interface TemplateSyntaxError {
  /** Says what is wrong and where: "line 2, column 7: ...". */
  message: string
  fix: string
  /** Offset of the `{{` at fault in the body. */
  index: number
  line: number
  column: number
}

export interface ParsedTemplate {
  parts: TemplatePart[]
  /** Each variable once, in order of first use. */
  variables: string[]
  errors: TemplateSyntaxError[]
}

export type TemplateValues = Readonly<Record<string, string | undefined>>

/** A piece of the final prompt: plain text, a variable's value, or a variable still missing. */
export type RenderedSegment =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string; text: string }
  | { kind: 'missing'; name: string; text: string }

export interface RenderedTemplate {
  /** The final prompt. A variable without a value stays as `{{name}}`, so a preview shows the gap. */
  text: string
  /** `text` in pieces, for a preview that marks values and gaps. */
  segments: RenderedSegment[]
  variables: string[]
  /** Variables with neither a value nor a default, in order of first use. */
  missing: string[]
  /** Names that were given a value but do not appear in the body (e.g. an extra CSV column). */
  unknown: string[]
  errors: TemplateSyntaxError[]
  /** No syntax errors and every variable has a value: the text is ready to send. */
  complete: boolean
}

/**
 * The value stored under a variable name, if the record itself holds a string there. Variable
 * names come from users and tables, and `constructor`, `toString` or `hasOwnProperty` are valid
 * ones: a plain `values[name]` would find Object.prototype's function instead of "no value". Read
 * every name-keyed record through this (or use a Map / null-prototype object).
 */
export function ownValue(record: Readonly<Record<string, unknown>> | null | undefined, name: string): string | undefined {
  if (!record || !Object.hasOwn(record, name)) return undefined
  const value = record[name]
  return typeof value === 'string' ? value : undefined
}

/** A record keyed by variable names, with no prototype to collide with (`__proto__` included). */
export function variableRecord(entries: Iterable<readonly [string, string]> = []): Record<string, string> {
  const record = Object.create(null) as Record<string, string>
  for (const [name, value] of entries) record[name] = value
  return record
}

export function isVariableName(name: string): boolean {
  return name.length <= MAX_VARIABLE_NAME_LENGTH && NAME.test(name)
}

/** A valid name close to what the user wrote: `product name` -> `product_name`. */
export function suggestVariableName(text: string): string {
  const cleaned = text
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, MAX_VARIABLE_NAME_LENGTH)
  return cleaned || 'name'
}

function position(body: string, index: number): { line: number; column: number } {
  const before = body.slice(0, index)
  const line = before.split('\n').length
  return { line, column: index - before.lastIndexOf('\n') }
}

function syntaxError(body: string, index: number, what: string, fix: string): TemplateSyntaxError {
  const { line, column } = position(body, index)
  return { message: `line ${line}, column ${column}: ${what}`, fix, index, line, column }
}

function nameProblem(inner: string): { what: string; fix: string } | null {
  if (inner === '') {
    return { what: 'empty {{ }} has no variable name', fix: 'Put a name between the braces, like {{product}}, or write \\{{ for literal braces.' }
  }
  if (inner.length > MAX_VARIABLE_NAME_LENGTH && NAME.test(inner)) {
    return {
      what: `the variable name "${inner}" is longer than ${MAX_VARIABLE_NAME_LENGTH} characters`,
      fix: `Use a shorter name, like {{${inner.slice(0, MAX_VARIABLE_NAME_LENGTH)}}}.`,
    }
  }
  if (!NAME.test(inner)) {
    return {
      what: `"{{${inner}}}" is not a valid variable name (use letters, digits and underscores, starting with a letter)`,
      fix: `Write it as {{${suggestVariableName(inner)}}}, or write \\{{ for literal braces.`,
    }
  }
  return null
}

export function parseTemplate(body: string): ParsedTemplate {
  const parts: TemplatePart[] = []
  const variables: string[] = []
  const errors: TemplateSyntaxError[] = []
  let text = ''
  let i = 0

  const flush = (): void => {
    if (text) parts.push({ kind: 'text', text })
    text = ''
  }

  while (i < body.length) {
    const open = body.indexOf('{{', i)
    if (open === -1) {
      text += body.slice(i)
      break
    }
    if (open > i && body[open - 1] === '\\') {
      text += body.slice(i, open - 1) + '{{'
      i = open + 2
      continue
    }
    text += body.slice(i, open)
    const close = body.indexOf('}}', open + 2)
    const nextOpen = body.indexOf('{{', open + 2)
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      errors.push(
        syntaxError(body, open, '"{{" is never closed with "}}"', 'Close the variable with }}, or write \\{{ for literal braces.'),
      )
      text += '{{'
      i = open + 2
      continue
    }
    const inner = body.slice(open + 2, close).trim()
    const problem = nameProblem(inner)
    if (problem) {
      errors.push(syntaxError(body, open, problem.what, problem.fix))
      text += body.slice(open, close + 2)
    } else {
      flush()
      parts.push({ kind: 'variable', name: inner })
      if (!variables.includes(inner)) variables.push(inner)
    }
    i = close + 2
  }
  flush()
  return { parts, variables, errors }
}

// A cell of zero-width spaces or direction marks looks empty and is: it counts as blank.
const filled = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed && hasVisibleText(trimmed) ? trimmed : undefined
}

/**
 * Fills the body's variables: a non-blank value wins, else a non-blank default; values and
 * defaults are trimmed. Missing and unknown names are reported, never guessed.
 */
export function renderTemplate(
  body: string | ParsedTemplate,
  values: TemplateValues = {},
  defaults: TemplateValues = {},
): RenderedTemplate {
  const parsed = typeof body === 'string' ? parseTemplate(body) : body
  const missing: string[] = []
  const segments = parsed.parts.map((part): RenderedSegment => {
    if (part.kind === 'text') return part
    const value = filled(ownValue(values, part.name)) ?? filled(ownValue(defaults, part.name))
    if (value !== undefined) return { kind: 'value', name: part.name, text: value }
    if (!missing.includes(part.name)) missing.push(part.name)
    return { kind: 'missing', name: part.name, text: `{{${part.name}}}` }
  })
  const unknown = Object.keys(values).filter((name) => !parsed.variables.includes(name))
  return {
    text: segments.map((s) => s.text).join(''),
    segments,
    variables: parsed.variables,
    missing,
    unknown,
    errors: parsed.errors,
    complete: parsed.errors.length === 0 && missing.length === 0,
  }
}

/** Turns literal text into a body that renders back to exactly that text (`{{` becomes `\{{`). */
export function escapeTemplateText(text: string): string {
  return text.replaceAll('{{', '\\{{')
}

/** "a", "a and b", "a, b and c". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** One sentence for what stops a render from being used, or null when it is complete. */
export function describeTemplateProblem(rendered: RenderedTemplate): string | null {
  const [first, ...more] = rendered.errors
  if (first) return more.length ? `${first.message} (and ${more.length} more problem(s))` : first.message
  if (rendered.missing.length) return `Fill in ${listNames(rendered.missing)}.`
  return null
}
