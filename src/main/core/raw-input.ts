import { badInput, type ApiError, type ApiErrorData } from '../../shared/api'

/**
 * What the router checks about a call before any schema sees it, because zod cannot: the input
 * must be a plain object (IPC's structured clone also carries Maps, Dates and typed arrays, which
 * an object schema would take as an empty object), and no key anywhere may be `__proto__` (a
 * record schema would assign it, which changes the prototype instead of adding a key, so the
 * value would vanish without a word). Errors also come back bounded here: a message that quotes
 * a 1 MB id must not travel back as a 1 MB message.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'non-plain'} object`
  return `a ${typeof value}`
}

/**
 * How many object keys and array items an input may hold in all. Every schema walks what it is
 * given, and zod's object and record checks grow worse than linearly with the keys: a million of
 * them kept the engine (and with it every door) busy for seconds. The largest real inputs are
 * far below: a gallery selection of 100,000 ids (items), a draft's template values (keys).
 */
export const MAX_INPUT_KEYS = 10_000
export const MAX_INPUT_ITEMS = 200_000

export function tooManyKeys(): ApiError {
  return badInput(
    'input',
    `input has more than ${MAX_INPUT_KEYS.toLocaleString('en-US')} named fields in all; no call takes that many.`,
    'Send only the fields the call takes.',
  )
}

export function tooManyItems(): ApiError {
  return badInput(
    'input',
    `input has more than ${MAX_INPUT_ITEMS.toLocaleString('en-US')} list items in all; the largest list a call takes is 100,000 ids.`,
    'Split the work into several calls.',
  )
}

/** Null for an input fit for a schema; else the error naming where it is wrong. */
export function rawInputProblem(input: unknown): ApiError | null {
  if (!isPlainObject(input)) {
    return badInput('input', `input: expected object, received ${kindOf(input)}.`, 'Send the call\'s fields as a plain object, e.g. {} for a call without fields.')
  }
  return inputShapeProblem(input)
}

/**
 * One walk over the input, stopped as soon as it is too big: the key and item counts against
 * their caps, and any `__proto__` key. Iterative, so deep nesting cannot exhaust the stack.
 */
function inputShapeProblem(root: unknown): ApiError | null {
  let keys = 0
  let items = 0
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue
    // Counted before the names are listed, so a list of millions is refused without walking it.
    if (Array.isArray(value)) {
      items += value.length
      if (items > MAX_INPUT_ITEMS) return tooManyItems()
    }
    const names = Object.keys(value)
    if (!Array.isArray(value)) {
      keys += names.length
      if (keys > MAX_INPUT_KEYS) return tooManyKeys()
    }
    for (const key of names) {
      const at = path ? `${path}.${key}` : key
      if (key === '__proto__') return badInput(at, `${at}: "__proto__" cannot be used as a name here.`, 'Rename or remove that key.')
      stack.push({ value: (value as Record<string, unknown>)[key], path: at })
    }
  }
  return null
}

/** The path of the first `__proto__` key anywhere in a value (JSON.parse makes such keys own keys), or null. */
export function protoKeyPath(root: unknown): string | null {
  // Iterative, so a value nested a million levels deep cannot exhaust the stack.
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key
      if (key === '__proto__') return at
      stack.push({ value: (value as Record<string, unknown>)[key], path: at })
    }
  }
  return null
}

export function describeCallName(name: unknown): string {
  return typeof name === 'string' ? `"${name}"` : kindOf(name)
}

const MAX_TOKEN = 120
const MAX_TEXT = 1000

/** Shortens runs of characters without a space (an echoed id, path or name) and the text as a whole. */
function boundText(text: string): string {
  const short = text.replace(new RegExp(`\\S{${MAX_TOKEN + 1},}`, 'gu'), (run) => `${run.slice(0, 60)}…(${run.length} characters)…${run.slice(-20)}`)
  return short.length > MAX_TEXT ? `${short.slice(0, MAX_TEXT - 1)}…` : short
}

export function boundError(error: ApiErrorData): ApiErrorData {
  const field = error.field === undefined ? {} : { field: boundText(error.field) }
  const fix = error.fix === undefined ? {} : { fix: boundText(error.fix) }
  // A remedy's parameters come from the library (key labels, hosts), not from the caller's input.
  const remedy = error.remedy === undefined ? {} : { remedy: error.remedy }
  return { code: error.code, message: boundText(error.message), ...field, ...fix, ...remedy }
}
