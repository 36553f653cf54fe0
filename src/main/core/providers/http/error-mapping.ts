import type { ErrorKind } from '../../../../shared/api'
import { ProviderError } from '../provider-error'

/**
 * Turns a provider's error reply into one of the few kinds a user can act on. Providers disagree
 * on envelopes ({error:{code,message,type}}, {message}, {error:"..."}, HTML from a proxy), so the
 * body is read defensively and the HTTP status decides when the body says nothing useful.
 */
export interface ErrorReply {
  status: number
  headers: Headers
  /** Parsed JSON, or the raw text when the body was not JSON. */
  body: unknown
  providerName: string
  now: number
}

/** Codes that mean the same thing whatever the status says (OpenAI bills via 429, ToAPIs policy via 422). */
const KIND_BY_CODE: Record<string, ErrorKind> = {
  content_policy_violation: 'content_policy',
  moderation_blocked: 'content_policy',
  insufficient_quota: 'billing',
  insufficient_balance: 'billing',
  billing_hard_limit_reached: 'billing',
  invalid_api_key: 'auth',
  authentication_error: 'auth',
  model_access_denied: 'auth',
  rate_limit_exceeded: 'retryable',
  upstream_error: 'provider_down',
  no_image_generated: 'input',
  invalid_reference_images: 'input',
  invalid_request: 'input',
  invalid_request_error: 'input',
  unknown_parameter: 'input',
  model_not_found: 'input',
}

/**
 * Envelope types that only say "the request was refused" (OpenAI sends `invalid_request_error`
 * with its 403 "organization must be verified"). They never outrank a status that itself names
 * the problem: a 401/403 stays auth, a 402 billing, a 429 a rate limit. (A failed ToAPIs task is
 * mapped as a made-up 502, so there the type still decides.)
 */
const GENERIC_CODES: ReadonlySet<string> = new Set(['invalid_request', 'invalid_request_error'])

/**
 * A provider that sends no code (getimg: a bare `message`) still says when its filter refused the
 * prompt; that is a content-policy refusal, not a request to fix, whatever the 4xx status.
 */
const POLICY_MESSAGE = /content (filter|policy|moderation)|moderation|safety (system|filter)|\bflagged\b|\bnsfw\b/i

function kindOf(status: number, code: string | null, message: string | null): ErrorKind {
  const lower = code?.toLowerCase() ?? null
  const known = lower ? KIND_BY_CODE[lower] : undefined
  const byStatus = kindForStatus(status)
  const statusNamesIt = byStatus === 'auth' || byStatus === 'billing' || byStatus === 'retryable'
  if (known && GENERIC_CODES.has(lower!) && statusNamesIt) return byStatus
  if (known) return known
  if (code === null && byStatus === 'input' && message && POLICY_MESSAGE.test(message)) return 'content_policy'
  return byStatus
}

function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'auth'
  if (status === 402) return 'billing'
  if (status === 403) return 'auth'
  if (status === 408 || status === 429) return 'retryable'
  if (status >= 500) return 'provider_down'
  return 'input'
}

const ADVICE: Record<ErrorKind, string> = {
  retryable: 'Proofsheet will try again shortly.',
  provider_down: 'The provider is having trouble; Proofsheet will try again, then stop.',
  input: 'Change the request and try again.',
  auth: 'Check the key: it may be wrong, revoked, or not allowed to use this model.',
  billing: 'Top up the account or raise its limit, then retry.',
  content_policy: 'The provider refused the prompt or image under its content policy; rephrase it.',
  interrupted: 'Retry to run it again.',
  internal: 'This is a Proofsheet problem; please report it.',
}

export function adviceFor(kind: ErrorKind): string {
  return ADVICE[kind]
}

/** How much of a provider's own message a job's error quotes. */
const MAX_QUOTED_MESSAGE = 1000

function clip(text: string | null, max: number): string | null {
  return text !== null && text.length > max ? `${text.slice(0, max)}…` : text
}

/** Message and code wherever the provider put them. */
export function readErrorBody(body: unknown): { code: string | null; message: string | null } {
  if (typeof body === 'string') {
    const looksHtml = /<\s*(html|!doctype|body|head)/i.test(body)
    const text = looksHtml ? null : body.trim().slice(0, 300) || null
    return { code: null, message: text }
  }
  if (!body || typeof body !== 'object') return { code: null, message: null }
  const root = body as Record<string, unknown>
  const inner = root.error
  const err = inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : root
  const pick = (...values: unknown[]): string | null => {
    for (const v of values) if (typeof v === 'string' && v.trim()) return v.trim()
    return null
  }
  // A numeric `code` (ToAPIs puts the HTTP status there) says less than `type`.
  const code = pick(err.code, err.type, root.code, root.type)
  const message = pick(err.message, root.message, typeof inner === 'string' ? inner : null, root.detail)
  // Quoted into a job's error, stored and printed: a provider's essay (or a dumped request) is cut.
  return { code: clip(code, 200), message: clip(message, MAX_QUOTED_MESSAGE) }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null if absent or nonsense. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

export function errorFromReply(reply: ErrorReply): ProviderError {
  const { code, message } = readErrorBody(reply.body)
  const kind = kindOf(reply.status, code, message)
  const isHtml = typeof reply.body === 'string' && /<\s*(html|!doctype|body|head)/i.test(reply.body)
  const what = message
    ? `${reply.providerName} said: ${/[.!?]$/.test(message) ? message : `${message}.`}`
    : isHtml
      ? `${reply.providerName} answered with a web page instead of the API (HTTP ${reply.status}), usually a proxy or outage.`
      : `${reply.providerName} answered HTTP ${reply.status} without an explanation.`
  const retryAfterMs = kind === 'retryable' || kind === 'provider_down' ? parseRetryAfter(reply.headers.get('retry-after'), reply.now) : null
  return new ProviderError(kind, `${what} ${adviceFor(kind)}`, {
    code: code ?? `http_${reply.status}`,
    retryAfterMs,
  })
}
