import { z } from 'zod'

/**
 * The one error shape that crosses every door (IPC, browser bridge, CLI). `field` names the
 * input at fault and `fix` says what to do, so the message can be shown as is.
 */
export const ApiErrorCode = z.enum([
  'bad_input', // caller must change the input; CLI exit 2
  'not_found',
  'conflict',
  'unavailable', // a backend (keychain, disk) cannot serve the request now
  'internal',
])
export type ApiErrorCode = z.infer<typeof ApiErrorCode>

export const ApiErrorSchema = z.object({
  code: ApiErrorCode,
  message: z.string(),
  field: z.string().optional(),
  fix: z.string().optional(),
})
export type ApiErrorData = z.infer<typeof ApiErrorSchema>

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly field: string | undefined
  readonly fix: string | undefined
  constructor(code: ApiErrorCode, message: string, opts: { field?: string; fix?: string } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.field = opts.field
    this.fix = opts.fix
  }
  toJSON(): ApiErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.fix !== undefined ? { fix: this.fix } : {}),
    }
  }
  static from(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, { field: data.field, fix: data.fix })
  }
}

export function badInput(field: string, message: string, fix?: string): ApiError {
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
  const fix = allowed ? `Use one of: ${allowed.map(String).join(', ')}.` : `Correct "${field}" and try again.`
  const message = allowed ? `${field}: not one of the accepted values` : `${field}: ${detail}`
  return badInput(field, `${message}${others}`, fix)
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData }
