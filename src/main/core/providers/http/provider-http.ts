import { neutralFix } from '../../../../shared/api/remedy'
import { ProviderError } from '../provider-error'
import type { DialectCall } from '../dialect'
import { errorFromReply } from './error-mapping'
import { CREDENTIALS_FIX, hasCredentials, urlForDisplay, withoutCredentials } from './url-credentials'

/**
 * The one way adapters talk HTTP: URL from the (overridable) base URL, the profile's auth header,
 * a generous timeout joined with the job's cancel signal, and every failure already sorted into
 * a ProviderError. Adapters must not call fetch directly: this is where the key is attached, and
 * where it is refused to anything but https (or loopback, for local test servers).
 */
export const DEFAULT_TIMEOUT_MS = 180_000

export interface HttpRequest {
  method: 'GET' | 'POST'
  path: string
  json?: unknown
  form?: FormData
  timeoutMs?: number
}

export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
}

/** Parses a URL we will connect to: https, or plain http only to this machine (test servers). */
export function safeUrl(text: string): URL | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url)) ? url : null
}

/** Joins base URL and a documented path; refuses a base URL that would expose the key. */
export function endpoint(baseUrl: string, path: string): URL {
  // A job queued before such URLs were refused at input: never sent, never quoted in full.
  if (hasCredentials(baseUrl)) {
    throw new ProviderError('input', `Refusing the base URL "${urlForDisplay(baseUrl)}": it carries a user name or password. ${neutralFix(CREDENTIALS_FIX)}`, {
      code: 'credentials_in_base_url',
    })
  }
  const url = safeUrl(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`)
  if (!url) {
    throw new ProviderError('input', `Refusing the base URL "${urlForDisplay(baseUrl)}": it must be an https URL (plain http only to this machine).`, {
      code: 'insecure_base_url',
    })
  }
  return url
}

/** What an HTTP exchange needs from a call; a key check sends one without any job. */
export type HttpCall = Pick<DialectCall, 'profile' | 'baseUrl' | 'secret' | 'signal' | 'clock' | 'fetch'>

export function authHeaders(call: Pick<DialectCall, 'profile' | 'secret'>): Record<string, string> {
  const { auth } = call.profile
  if (auth === 'none') return {}
  if (!call.secret) throw new ProviderError('auth', `${call.profile.name} needs an API key and none was found.`, { code: 'no_key' })
  // fetch would refuse such a header with a message that quotes it, key and all.
  if (!/^[\x21-\x7e]+$/.test(call.secret.trim())) {
    throw new ProviderError(
      'auth',
      `The ${call.profile.name} key contains spaces, line breaks or characters an API key cannot have. Copy the key again from the provider and store it anew.`,
      { code: 'malformed_key' },
    )
  }
  return auth === 'x-api-key' ? { 'x-api-key': call.secret } : { authorization: `Bearer ${call.secret}` }
}

/** Sends the request; resolves with a 2xx Response, or throws a ProviderError. */
export async function send(call: HttpCall, req: HttpRequest): Promise<Response> {
  const url = endpoint(call.baseUrl, req.path)
  const timeoutMs = req.timeoutMs ?? call.profile.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const signal = AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)])
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(call) }
  let body: string | FormData | undefined
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(req.json)
  } else if (req.form) {
    body = req.form // fetch sets the multipart boundary itself
  }
  let res: Response
  try {
    res = await call.fetch(url, { method: req.method, headers, body, signal, redirect: 'error' })
  } catch (err) {
    throw networkError(err, call, timeoutMs)
  }
  if (res.ok) return res
  let parsed: unknown
  try {
    const text = await res.text()
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = text
    }
  } catch (err) {
    throw networkError(err, call, timeoutMs)
  }
  throw errorFromReply({ status: res.status, headers: res.headers, body: parsed, providerName: call.profile.name, now: call.clock.now() })
}

/** Reads a 2xx JSON body; a body that is not JSON is the provider's fault, and retried as such. */
export async function readJson(call: HttpCall, res: Response): Promise<unknown> {
  try {
    return await res.json()
  } catch (err) {
    if (call.signal.aborted) throw call.signal.reason
    if ((err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError') throw networkError(err, call, 0)
    // Only a parse error means the provider sent something else; any other failure is the
    // connection dropping mid-reply (undici's "terminated"), a network problem like any other.
    if (!(err instanceof SyntaxError)) {
      const code = (err as { cause?: { code?: string } })?.cause?.code ?? 'network'
      throw new ProviderError('retryable', `The connection to ${call.profile.name} broke off in the middle of its reply (${code}).`, { code })
    }
    throw new ProviderError('provider_down', `${call.profile.name} sent a reply that is not JSON.`, { code: 'bad_json' })
  }
}

function networkError(err: unknown, call: HttpCall, timeoutMs: number): unknown {
  if (call.signal.aborted) return call.signal.reason // canceled by the user: not a provider problem
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new ProviderError('retryable', `${call.profile.name} did not answer within ${Math.round(timeoutMs / 1000)} s.`, { code: 'timeout' })
  }
  const code = e?.cause?.code ?? 'network'
  // Errors from fetch quote the URL they were given.
  const said = withoutCredentials(e?.cause?.message ?? e?.message ?? 'network error')
  return new ProviderError('retryable', `Could not reach ${call.profile.name} (${code}: ${said}).`, {
    code,
  })
}
