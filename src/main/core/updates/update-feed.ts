/**
 * Where the app looks for updates, read from one spelling: `https://host/path` (a generic feed
 * serving latest.yml) or `github:owner/repo` (GitHub releases). Nothing set means updates are off
 * and no network call is made; the caller must not fall back to a built-in address.
 */

export type UpdateFeed =
  | { readonly kind: 'off' }
  | { readonly kind: 'generic'; readonly url: string }
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string }
  /** The installer's own publish entry (app-update.yml written by the packaging). */
  | { readonly kind: 'packaged' }

/** The environment variable that sets (or, with `off`, switches off) the feed. */
export const UPDATE_FEED_ENV = 'PROOFSHEET_UPDATE_FEED'

export type FeedSource = 'env' | 'setting'

export type FeedParse =
  | { readonly ok: true; readonly feed: UpdateFeed }
  | { readonly ok: false; readonly field: string; readonly message: string }

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
// GitHub's own rules for names: owner letters, digits and single dashes; repo also dots and underscores.
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/

function fieldName(source: FeedSource): string {
  return source === 'env' ? UPDATE_FEED_ENV : 'updateFeed'
}

/** Parses one feed spelling; `source` only decides which name the message gives. */
export function parseUpdateFeed(text: string | undefined, source: FeedSource): FeedParse {
  const field = fieldName(source)
  const value = (text ?? '').trim()
  if (value === '' || value.toLowerCase() === 'off') return { ok: true, feed: { kind: 'off' } }
  const fix = 'Give an https:// address of a folder holding latest.yml, or github:owner/repo, or off.'
  if (value.toLowerCase().startsWith('github:')) {
    const [owner, repo, ...rest] = value.slice('github:'.length).split('/')
    if (rest.length > 0 || !owner || !repo || !GITHUB_OWNER.test(owner) || !GITHUB_REPO.test(repo) || repo === '.' || repo === '..') {
      return { ok: false, field, message: `${field} "${value}" is not a GitHub repository: write it as github:owner/repo.` }
    }
    return { ok: true, feed: { kind: 'github', owner, repo } }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { ok: false, field, message: `${field} "${value}" is not an address. ${fix}` }
  }
  if (url.username || url.password) {
    return { ok: false, field, message: `${field} carries a user name or password; an update feed must be public. ${fix}` }
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    // An update is code the app will run: plain http would let anyone on the path swap it.
    return { ok: false, field, message: `${field} uses http://, which anyone on the network could tamper with; use https:// (http:// is kept for 127.0.0.1 only).` }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, field, message: `${field} uses ${url.protocol}, which is not a web address. ${fix}` }
  }
  if (url.search || url.hash) {
    return { ok: false, field, message: `${field} has a query or fragment; give the folder's plain address. ${fix}` }
  }
  // electron-updater resolves latest.yml against the URL: a folder address needs its slash.
  const href = url.href.endsWith('/') ? url.href : `${url.href}/`
  return { ok: true, feed: { kind: 'generic', url: href } }
}

/**
 * The feed in force: the environment variable wins (a studio's IT or a test), then the user's
 * setting, then the installer's publish entry when there is one. A bad spelling is an error, not
 * a silent fallback to the next source: the person who set it would think it is in force.
 */
export function resolveUpdateFeed(input: {
  env: Record<string, string | undefined>
  setting: string | null | undefined
  packagedFeed: boolean
}): FeedParse & { source?: FeedSource | 'packaged' | 'none' } {
  const fromEnv = input.env[UPDATE_FEED_ENV]
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { ...parseUpdateFeed(fromEnv, 'env'), source: 'env' }
  if (input.setting != null && input.setting.trim() !== '') return { ...parseUpdateFeed(input.setting, 'setting'), source: 'setting' }
  if (input.packagedFeed) return { ok: true, feed: { kind: 'packaged' }, source: 'packaged' }
  return { ok: true, feed: { kind: 'off' }, source: 'none' }
}
