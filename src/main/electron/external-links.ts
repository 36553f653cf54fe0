/**
 * The one way a link leaves the app: a page asks to open a window (target=_blank, window.open),
 * the window-open handler denies it and hands the URL here, and only a plain https URL to a
 * named host reaches the OS browser through shell.openExternal. Everything else is refused and
 * logged. Nothing else in the app may call shell.openExternal (a test holds every caller to this).
 */
import type { Shell } from 'electron'

export type ExternalLinkVerdict = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string }

/** Longer than any price page or provider document needs; a longer one is someone's payload. */
const MAX_URL_LENGTH = 2048

/**
 * Allows `https://host.name/path?query#fragment` and nothing else: no other scheme (file:,
 * javascript:, smb:, custom app schemes a browser would hand to another program), no user name
 * or password (a phishing disguise, and a secret we must not pass on), no explicit port, no IP
 * address or single-label host (local services and intranet machines are not documentation), no
 * whitespace or control characters (the URL parser drops them silently, so the link a user saw
 * would not be the link we opened). The verdict's url is the normalized one to open.
 */
export function checkExternalLink(url: unknown): ExternalLinkVerdict {
  if (typeof url !== 'string' || url.length === 0) return refuse('not a URL')
  if (url.length > MAX_URL_LENGTH) return refuse(`longer than ${MAX_URL_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex -- the control range is exactly what is refused
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(url)) return refuse('whitespace or control characters in the URL')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return refuse('not a URL')
  }
  if (parsed.protocol !== 'https:') return refuse(`the scheme ${parsed.protocol} is not https:`)
  if (parsed.username !== '' || parsed.password !== '') return refuse('credentials in the URL')
  if (parsed.port !== '') return refuse('an explicit port')
  const host = parsed.hostname
  if (host.startsWith('[') || /^[\d.]+$/.test(host)) return refuse('an IP address instead of a host name')
  if (!host.includes('.') || host.endsWith('.')) return refuse('not a public host name')
  return { ok: true, url: parsed.href }
}

export interface ExternalLinkOpenerDeps {
  readonly shell: Pick<Shell, 'openExternal'>
  readonly log?: (message: string) => void
}

/** Opens a checked link in the OS browser; true when it was handed over. Never throws. */
export type OpenExternalLink = (url: unknown) => boolean

export function createExternalLinkOpener(deps: ExternalLinkOpenerDeps): OpenExternalLink {
  const log = deps.log ?? ((message: string) => console.warn(message))
  return (url) => {
    const verdict = checkExternalLink(url)
    if (!verdict.ok) {
      // The reason, never the URL itself: it may carry a token or a private path.
      log(`[links] refused to open a link: ${verdict.reason}`)
      return false
    }
    deps.shell.openExternal(verdict.url).catch((err: unknown) => {
      log(`[links] the OS could not open ${new URL(verdict.url).origin}: ${err instanceof Error ? err.message : String(err)}`)
    })
    return true
  }
}

function refuse(reason: string): ExternalLinkVerdict {
  return { ok: false, reason }
}
