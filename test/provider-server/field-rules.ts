/**
 * Request fields as data. Each provider lists the fields its document names, with their types and
 * allowed values; `checkFields` finds the first thing wrong and the provider turns that into its
 * own error body. A field no document names is refused, so a misspelled field fails loudly here
 * instead of being ignored (and then silently producing the default) as a lenient server might.
 */

export type FieldRule =
  | { type: 'string'; enum?: readonly string[]; maxLength?: number; nonEmpty?: boolean }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'array' }
  | { type: 'object' }
  /** Checked by the provider itself (e.g. a string or an array of strings). */
  | { type: 'any' }

export interface FieldSpec {
  required?: boolean
  rule: FieldRule
}

export type FieldTable = Readonly<Record<string, FieldSpec>>

export type FieldProblem =
  | { kind: 'unknown'; field: string }
  | { kind: 'missing'; field: string }
  | { kind: 'type'; field: string; expected: string; value: unknown }
  | { kind: 'enum'; field: string; allowed: readonly string[]; value: unknown }
  | { kind: 'range'; field: string; min?: number; max?: number; value: unknown }
  | { kind: 'too-long'; field: string; max: number }
  | { kind: 'empty'; field: string }

export type FieldValues = Record<string, unknown>

/** The first problem with `values` under `table`, or null when every field is acceptable. */
export function checkFields(values: FieldValues, table: FieldTable): FieldProblem | null {
  for (const field of Object.keys(values)) {
    if (!Object.hasOwn(table, field)) return { kind: 'unknown', field }
  }
  for (const [field, spec] of Object.entries(table)) {
    const value = values[field]
    if (value === undefined || value === null) {
      if (spec.required) return { kind: 'missing', field }
      continue
    }
    const problem = checkValue(field, value, spec.rule)
    if (problem) return problem
  }
  return null
}

function checkValue(field: string, value: unknown, rule: FieldRule): FieldProblem | null {
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string') return { kind: 'type', field, expected: 'a string', value }
      if (rule.nonEmpty && value.trim() === '') return { kind: 'empty', field }
      if (rule.maxLength !== undefined && value.length > rule.maxLength) {
        return { kind: 'too-long', field, max: rule.maxLength }
      }
      if (rule.enum && !rule.enum.includes(value)) return { kind: 'enum', field, allowed: rule.enum, value }
      return null
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return { kind: 'type', field, expected: 'an integer', value }
      }
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
        return { kind: 'range', field, min: rule.min, max: rule.max, value }
      }
      return null
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : { kind: 'type', field, expected: 'a boolean', value }
    case 'array':
      return Array.isArray(value) ? null : { kind: 'type', field, expected: 'an array', value }
    case 'object':
      return isPlainObject(value) ? null : { kind: 'type', field, expected: 'an object', value }
    case 'any':
      return null
  }
}

/**
 * Multipart text fields arrive as strings; this turns them into the JSON values the table expects
 * (integers, booleans) before the rules run, as a form-parsing server would. A repeated field keeps
 * its last value.
 */
export function formValues(fields: Map<string, string[]>, table: FieldTable): FieldValues {
  const values: FieldValues = {}
  for (const [name, list] of fields) {
    const text = list[list.length - 1] ?? ''
    const rule = table[name]?.rule
    if (rule?.type === 'integer' && /^-?\d+$/.test(text)) values[name] = Number(text)
    else if (rule?.type === 'boolean' && (text === 'true' || text === 'false')) values[name] = text === 'true'
    else values[name] = text
  }
  return values
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** A plain-English sentence for a problem; providers wrap it in their own wording where they have one. */
export function describeProblem(problem: FieldProblem): string {
  switch (problem.kind) {
    case 'unknown':
      return `Unknown parameter: '${problem.field}'.`
    case 'missing':
      return `Missing required parameter: '${problem.field}'.`
    case 'type':
      return `Invalid type for '${problem.field}': expected ${problem.expected}, got ${describeValue(problem.value)}.`
    case 'enum':
      return `Invalid value: ${describeValue(problem.value)}. Supported values for '${problem.field}' are: ${problem.allowed
        .map((v) => `'${v}'`)
        .join(', ')}.`
    case 'range': {
      const bounds = [problem.min !== undefined ? `>= ${problem.min}` : '', problem.max !== undefined ? `<= ${problem.max}` : '']
        .filter(Boolean)
        .join(' and ')
      return `Invalid value for '${problem.field}': ${describeValue(problem.value)}; expected an integer ${bounds}.`
    }
    case 'too-long':
      return `'${problem.field}' is too long: at most ${problem.max} characters.`
    case 'empty':
      return `'${problem.field}' must not be empty.`
  }
}
