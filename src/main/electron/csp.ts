/**
 * The Content-Security-Policy our pages are served with, as a response header (the renderer's
 * index.html carries the same policy in a meta tag as a second line of defence). Pure, so the
 * exact policy is asserted in a test. Loosen it only here, and only with a reason.
 */
import { MEDIA_SCHEME } from './media-url'

export interface CspOptions {
  /**
   * Set under `electron-vite dev` only: the dev server injects an inline React Refresh preamble
   * and talks to the page over a WebSocket for hot reload. Never set for a built app.
   */
  readonly devServerOrigin?: string
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const dev = opts.devServerOrigin
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['img-src', ["'self'", `${MEDIA_SCHEME}:`, 'data:', 'blob:']],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['connect-src', dev ? ["'self'", dev.replace(/^http/, 'ws')] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    // The app has no forms that post anywhere; without this, injected markup could send a
    // form's fields to any site (form-action does not fall back to default-src).
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ]
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ')
}

/**
 * Response headers with our policy in place of any the server sent (header names are
 * case-insensitive, so a dev server's `content-security-policy` must not survive beside ours).
 */
export function withContentSecurityPolicy(
  headers: Record<string, string[] | string> | undefined,
  policy: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue
    out[name] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [policy]
  return out
}
