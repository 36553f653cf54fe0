/**
 * Turns the path of a request URL into plain, decoded segments, or refuses it. Static files and
 * library media both go through here so neither can be walked out of its folder: a caller must
 * never join a raw, undecoded URL path onto a directory.
 */
export function safePathSegments(pathname: string): string[] | null {
  const segments: string[] = []
  for (const raw of pathname.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment === '.' || segment === '..') return null
    // A decoded separator or NUL would let "a%2F..%2Fb" become a different path than it looks.
    if (/[/\\\0]/.test(segment)) return null
    // Drive letters and similar ("C:") have no business in a URL path on any platform.
    if (segment.includes(':')) return null
    segments.push(segment)
  }
  return segments
}
