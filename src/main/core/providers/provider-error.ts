import type { ErrorKind } from '../../../shared/api'

/** A failed call, already sorted into what the user can do about it. */
export class ProviderError extends Error {
  readonly kind: ErrorKind
  readonly code: string | null
  readonly retryAfterMs: number | null
  /** The remote task this call was following is over (failed, or gone): a retry must submit anew. */
  readonly taskEnded: boolean
  constructor(
    kind: ErrorKind,
    message: string,
    opts: { code?: string | null; retryAfterMs?: number | null; taskEnded?: boolean } = {},
  ) {
    super(message)
    this.name = 'ProviderError'
    this.kind = kind
    this.code = opts.code ?? null
    this.retryAfterMs = opts.retryAfterMs ?? null
    this.taskEnded = opts.taskEnded ?? false
  }
}
