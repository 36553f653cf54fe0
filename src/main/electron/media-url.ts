/**
 * The media URL scheme the window loads library images from, and its parser. Pure and tested
 * under Node. The parser decodes exactly once and only hands on a path that library-path's
 * whitelist accepts; the protocol handler must still serve only what resolveLibraryFile returns.
 */
import { parseMediaPath } from '../core'

export const MEDIA_SCHEME = 'proofsheet-media'
/** The single host: `proofsheet-media://library/images/2026/11/x.png`. */
export const MEDIA_HOST = 'library'

/**
 * The library-relative path a media URL names (`images/2026/11/x.png`), or null when the URL is
 * anything else: another scheme or host, credentials or a port, an encoded slash, backslash or
 * dot segment, an empty segment (absolute paths), or a first folder other than images/ or thumbs/.
 * Query and fragment are ignored (cache busters).
 */
export function parseMediaUrl(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname !== MEDIA_HOST) return null
  if (parsed.username || parsed.password || parsed.port) return null
  const raw = parsed.pathname
  if (!raw.startsWith('/')) return null
  const segments: string[] = []
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(encoded)
    } catch {
      return null
    }
    // A slash, backslash or NUL that arrived encoded would change the path's shape after decoding.
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null
    segments.push(segment)
  }
  const rel = segments.join('/')
  return parseMediaPath(rel) ? rel : null
}
