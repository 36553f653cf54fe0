import type { ServerResponse } from 'node:http'
import type { ApiErrorCode, Result } from '../shared/api'

/**
 * How the bridge answers. Every JSON body it writes is a contract `Result`, including its own
 * refusals (401, 403, 413...), so the renderer's transport can hand any reply straight to
 * `createApiClient` and show `message` and `fix` as they are.
 */

/** Sent with every response: no sniffing, no referrers, not embeddable elsewhere. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendFailure(
  res: ServerResponse,
  status: number,
  code: ApiErrorCode,
  message: string,
  fix?: string,
  headers: Record<string, string> = {},
): void {
  const body: Result<never> = { ok: false, error: fix === undefined ? { code, message } : { code, message, fix } }
  sendJson(res, status, body, headers)
}

/** A call the bridge cannot pass to the router at all; `field` names the part of the request at fault. */
export function sendBadCall(res: ServerResponse, status: number, field: string, message: string, fix: string, headers: Record<string, string> = {}): void {
  const body: Result<never> = { ok: false, error: { code: 'bad_input', message, field, fix } }
  sendJson(res, status, body, headers)
}

export function sendUnauthorized(res: ServerResponse): void {
  sendFailure(
    res,
    401,
    'unavailable',
    'The browser bridge needs its access token.',
    'Open the full URL printed by `npm run web` (it ends in ?token=...).',
    { 'WWW-Authenticate': 'Bearer realm="proofsheet"' },
  )
}

export function sendForbidden(res: ServerResponse, what: string): void {
  sendFailure(res, 403, 'bad_input', `Refused: ${what}.`, 'Open Proofsheet at http://127.0.0.1:<port>/ from this machine.')
}

export function sendNotFound(res: ServerResponse): void {
  sendFailure(res, 404, 'not_found', 'Nothing here.')
}

export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  sendFailure(res, 405, 'bad_input', 'Method not allowed.', `Use ${allow}.`, { Allow: allow })
}
