import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Who may talk to the browser bridge. The bridge listens on loopback, but any web page the user
 * visits can still aim requests at 127.0.0.1, and DNS rebinding can make a foreign name resolve
 * there. So every request must name our exact host and port, carry no foreign Origin, and (for
 * anything beyond the public renderer bundle) hold the browser session or the printed token.
 *
 * Cookies ignore ports: a cookie for 127.0.0.1 with `Path=/` goes to every local server the
 * person opens, and any of them may set one of the same name. So the session cookie is scoped to
 * a random path (`/s/<id>`) that no other server's pages live under, under a random name, and its
 * value is a secret of its own, never the printed token.
 */

/** A browser's session, made once when the printed address is opened. */
export interface BrowserSession {
  /** Where the app lives for this browser: `/s/<24 hex>`, no trailing slash (the cookie's Path). */
  readonly basePath: string
  /** `ps_session_<16 hex>`: another origin cannot aim a cookie at a name it does not know. */
  readonly cookieName: string
  readonly secret: string
}

/** The printed token's shape: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex')
}

export function newSession(): BrowserSession {
  return {
    basePath: `/s/${randomBytes(12).toString('hex')}`,
    cookieName: `ps_session_${randomBytes(8).toString('hex')}`,
    secret: randomBytes(32).toString('hex'),
  }
}

/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Strict, and `Path` scoped to the
 * app's own path so the browser sends it to no other port's pages.
 */
export function sessionCookie(session: BrowserSession): string {
  return `${session.cookieName}=${session.secret}; Path=${session.basePath}; HttpOnly; SameSite=Strict`
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

/**
 * Every value sent under this cookie name. A browser sends one cookie per (name, path), so one
 * of the same name set by another port with a wider path arrives beside ours; all are returned,
 * and one valid value is enough, so such a shadow cannot lock the app out.
 */
export function cookieValues(req: IncomingMessage, name: string): string[] {
  const header = req.headers.cookie
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim())
  }
  return values
}

/** The token of an `Authorization: Bearer` header, for scripts and tests that call the bridge directly. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  if (typeof auth !== 'string') return undefined
  return /^Bearer\s+(\S+)$/i.exec(auth.trim())?.[1]
}

/** Whether the request carries this browser session's cookie (among any others of its name). */
export function hasSessionCookie(req: IncomingMessage, session: BrowserSession | null): boolean {
  if (!session) return false
  // Every value is compared, valid or not, so the time taken does not say which one matched.
  let found = false
  for (const value of cookieValues(req, session.cookieName)) found = tokenMatches(value, session.secret) || found
  return found
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(presented: string | undefined | null, token: string): boolean {
  if (typeof presented !== 'string' || presented === '') return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

/**
 * Splits a request path into the app prefix (`/s/<id>`) and what follows it. The renderer and
 * its calls are served under any such prefix (the bundle is public; a stale prefix after a
 * restart still loads the page that says how to sign in again); only the session cookie is tied
 * to the current one.
 */
export function splitAppPath(path: string): { prefix: string | null; rest: string } {
  const match = /^(\/s\/[^/]+)(\/.*)?$/.exec(path)
  if (!match) return { prefix: null, rest: path }
  return { prefix: match[1]!, rest: match[2] ?? '' }
}
