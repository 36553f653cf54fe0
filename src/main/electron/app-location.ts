/**
 * Where the Proofsheet window's pages come from, and the one test of "is this URL ours?" that
 * navigation guards, the CSP hook and the IPC sender check all share. Pure: no Electron import,
 * so it is tested under plain Node. Callers must not compare URLs by string prefix themselves.
 */
import { pathToFileURL } from 'node:url'

export type AppLocation =
  /** Packaged or `electron-vite preview`: the built index.html on disk. */
  | { readonly kind: 'file'; readonly url: string; readonly path: string }
  /** `electron-vite dev`: the Vite dev server on loopback. */
  | { readonly kind: 'dev-server'; readonly url: string; readonly origin: string }

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Picks the dev server only when the app is not packaged and the URL is http(s) on loopback:
 * an environment variable must never be able to point an installed app at a remote page.
 */
export function resolveAppLocation(opts: {
  devServerUrl: string | undefined
  isPackaged: boolean
  indexHtmlPath: string
}): AppLocation {
  const dev = opts.isPackaged ? undefined : parseLoopbackHttpUrl(opts.devServerUrl)
  if (dev) return { kind: 'dev-server', url: dev.href, origin: dev.origin }
  const url = pathToFileURL(opts.indexHtmlPath)
  return { kind: 'file', url: url.href, path: decodedPathname(url) }
}

/** True when `url` is a page of ours: the same built index.html, or the dev server's origin. */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const parsed = safeUrl(url)
  if (!parsed) return false
  if (app.kind === 'dev-server') return parsed.origin === app.origin
  // file: URLs all share the opaque origin "null", so compare the exact file instead.
  return parsed.protocol === 'file:' && parsed.host === '' && decodedPathname(parsed) === app.path
}

function parseLoopbackHttpUrl(text: string | undefined): URL | undefined {
  const url = text ? safeUrl(text) : undefined
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined
  return LOOPBACK_HOSTS.has(url.hostname) ? url : undefined
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

// Chromium and Node percent-encode file paths slightly differently (spaces, brackets, unicode),
// so the comparison is on the decoded path.
function decodedPathname(url: URL): string {
  try {
    return decodeURIComponent(url.pathname)
  } catch {
    return url.pathname
  }
}
