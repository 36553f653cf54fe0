import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Who may talk to the browser bridge. The bridge listens on loopback, but any web page the user
 * visits can still aim requests at 127.0.0.1, and DNS rebinding can make a foreign name resolve
 * there. So every request must name our exact host and port, carry no foreign Origin, and (for
 * anything beyond the public renderer bundle) prove it holds the token printed at start-up.
 */

export const TOKEN_COOKIE = 'ps_token'

export function newToken(): string {
  return randomBytes(32).toString('hex')
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

export function isAllowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase())
}

/** No Origin header is fine (navigations, same-origin GETs); a present one must be ours. */
export function isAllowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`)
}

/**
 * Fetch metadata, where the browser sends it, catches requests from other pages that carry no
 * Origin (an <img> GET, say). "same-site" is refused too: every port of 127.0.0.1 is the same
 * site, so another local dev server's page would otherwise get our SameSite cookie attached.
 */
export function isFromOtherPage(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site']
  return site !== undefined && site !== 'same-origin' && site !== 'none'
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The token a request presents: the session cookie or an `Authorization: Bearer` header. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(auth.trim())
    if (match) return match[1]
  }
  return cookieValue(req, TOKEN_COOKIE)
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(presented: string | undefined | null, token: string): boolean {
  if (typeof presented !== 'string' || presented === '') return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

export function sessionCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`
}
