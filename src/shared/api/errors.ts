import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { neutralFix, Remedy } from './remedy'

/**
 * The one error shape that crosses every door (IPC, browser bridge, CLI). `field` names the
 * input at fault and `fix` says what to do, so the message can be shown as is. Where the fix
 * depends on the door (a flag on the command line, a control in the app), `remedy` carries it as
 * a code with parameters, each door words it (`fix` then holds its neutral words), and the
 * engine never writes a flag or a button name itself.
 */
export const ApiErrorCode = onFirstUse(() => z.enum([
  'bad_input', // caller must change the input; CLI exit 2
  'not_found',
  'conflict',
  'unavailable', // a backend (keychain, disk) cannot serve the request now
  'internal',
]))
export type ApiErrorCode = z.infer<typeof ApiErrorCode>

export const ApiErrorSchema = onFirstUse(() => z.object({
  code: ApiErrorCode,
  message: z.string(),
  field: z.string().optional(),
  fix: z.string().optional(),
  remedy: Remedy.optional(),
}))
export type ApiErrorData = z.infer<typeof ApiErrorSchema>

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly field: string | undefined
  readonly fix: string | undefined
  readonly remedy: Remedy | undefined
  constructor(code: ApiErrorCode, message: string, opts: { field?: string; fix?: string | Remedy; remedy?: Remedy } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.field = opts.field
    const remedy = typeof opts.fix === 'object' ? opts.fix : opts.remedy
    this.remedy = remedy
    this.fix = typeof opts.fix === 'string' ? opts.fix : remedy ? neutralFix(remedy) : undefined
  }
  toJSON(): ApiErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.fix !== undefined ? { fix: this.fix } : {}),
      ...(this.remedy !== undefined ? { remedy: this.remedy } : {}),
    }
  }
  static from(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, { field: data.field, fix: data.fix, remedy: data.remedy })
  }
}

/** `fix` is plain words when they fit every door, or a remedy each door words itself. */
export function badInput(field: string, message: string, fix?: string | Remedy): ApiError {
  return new ApiError('bad_input', message, fix === undefined ? { field } : { field, fix })
}

/** Turns zod issues into one readable bad_input error naming the first offending field. */
export function fromZodError(err: z.ZodError, prefix = ''): ApiError {
  const issue = err.issues[0]
  // An unknown key is named itself, so "backgound" points at the typo rather than at "input".
  const extra = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined
  const path = issue ? [...issue.path.map(String), ...(extra ? [extra] : [])].join('.') : ''
  const field = [prefix, path].filter(Boolean).join('.') || 'input'
  const detail = issue?.message ?? 'invalid value'
  const others = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem(s))` : ''
  const allowed = issue && 'values' in issue && Array.isArray(issue.values) ? (issue.values as unknown[]) : null
  const fix: string | Remedy = allowed ? `Use one of: ${allowed.map(String).join(', ')}.` : { code: 'correct_field', field }
  const message = allowed ? `${field}: not one of the accepted values` : `${field}: ${detail}`
  return badInput(field, `${message}${others}`, fix)
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData }
