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
    'Open the address `npm run web` printed last (it ends in ?token=...). Each address signs one browser in once; if it was used, restart npm run web for a new one.',
    { 'WWW-Authenticate': 'Bearer realm="proofsheet"' },
  )
}

/**
 * The printed address opened a second time. It is a page, not JSON: a person followed a link
 * (from history, a copied address, another browser) and needs to read what to do.
 */
export function sendSignInUsed(res: ServerResponse): void {
  const page = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>This Proofsheet address was already used</title></head><body><main>',
    '<h1>This Proofsheet address was already used</h1>',
    '<p>The address <code>npm run web</code> prints signs one browser in, once. The browser it signed in stays signed in: go back to its Proofsheet tab.</p>',
    '<p>To open Proofsheet here, stop <code>npm run web</code> (Ctrl+C) and start it again. It prints a new address as its last line; open that one.</p>',
    '</main></body></html>',
  ].join('\n')
  res.writeHead(410, {
    ...BASE_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(page)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  })
  res.end(page)
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
