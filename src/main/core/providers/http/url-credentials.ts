/**
 * A base URL may be typed as https://user:password@host/…: a second secret, outside the keychain,
 * that would be stored with every job and profile and quoted by every message that names the URL.
 * Proofsheet refuses such URLs where they come in (jobs, profiles) and, for any that reach a
 * message anyway (an older row, a library error quoting its input), shows them without the
 * credentials. Use `urlForDisplay` whenever a URL goes into a message, log or stored error.
 */
import type { Remedy } from '../../../../shared/api/remedy'

/** True when the text is a URL with a user name or password in it. */
export function hasCredentials(text: string): boolean {
  try {
    const url = new URL(text)
    return url.username !== '' || url.password !== ''
  } catch {
    return CREDENTIALS.test(text)
  }
}

// scheme://anything-without-slash-or-space@ : the userinfo part, even in text that does not parse.
const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/i
const CREDENTIALS_ALL = new RegExp(CREDENTIALS.source, 'gi')

/** The URL as it may be shown: without user name and password (`***@` marks where they were). */
export function urlForDisplay(text: string): string {
  return withoutCredentials(text)
}

/** Any URL inside free text (an error from fetch, say) with its credentials replaced. */
export function withoutCredentials(text: string): string {
  return text.replace(CREDENTIALS_ALL, '$1***@')
}

export const CREDENTIALS_FIX: Remedy = { code: 'key_apart_from_url' }
