/**
 * Who sent which credential. The key is compared and then forgotten: the request log keeps only the
 * header it came in and whether it matched, and every credential header is redacted.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { AuthSeen } from './types'

export type AuthHeader = 'bearer' | 'x-api-key'

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'api-key'])
export const REDACTED = '[REDACTED]'

interface Credential {
  scheme: AuthSeen['scheme']
  value: string | null
}

function credentials(headers: IncomingHttpHeaders): Credential[] {
  const found: Credential[] = []
  const authorization = headers.authorization
  if (authorization !== undefined) {
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
    found.push(bearer?.[1] ? { scheme: 'bearer', value: bearer[1] } : { scheme: 'other', value: null })
  }
  const apiKey = headers['x-api-key']
  if (typeof apiKey === 'string') found.push({ scheme: 'x-api-key', value: apiKey.trim() })
  return found
}

/**
 * The first credential in a header this provider reads decides; a credential only in a header it
 * does not read (x-api-key at a Bearer-only provider) is logged but never matches. A provider may
 * accept several keys (`addKey`); which one matched is kept by its index, never by its value.
 */
export function checkAuth(headers: IncomingHttpHeaders, accepted: readonly AuthHeader[], keys: readonly string[]): AuthSeen {
  const found = credentials(headers)
  const usable = found.find((c) => c.value !== null && (accepted as readonly string[]).includes(c.scheme))
  if (usable) {
    const keyIndex = keys.findIndex((k) => k === usable.value)
    return keyIndex >= 0 ? { scheme: usable.scheme, matched: true, keyIndex } : { scheme: usable.scheme, matched: false }
  }
  const first = found[0]
  return first ? { scheme: first.scheme, matched: false } : { scheme: 'none', matched: false }
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[name] = SECRET_HEADERS.has(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value
  }
  return out
}
