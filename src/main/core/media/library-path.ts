/**
 * The one gate between a media URL and the disk, shared by the Electron media protocol and the
 * browser-mode media route. Callers must serve only the path this returns (never re-join `rel`
 * themselves) and must URL-decode exactly once before calling; a null means "404", whatever the cause.
 */
import { realpath, stat } from 'node:fs/promises'
import { extname, join, sep } from 'node:path'

/** The folders under the library home that hold servable media. Nothing else is ever served. */
// refs/ holds the reference images brought into the library (content-hash names): the mask
// painter and the detail view show them at full size, where a thumbnail would paint a blurry mask.
export const MEDIA_ROOTS = ['images', 'thumbs', 'refs'] as const
export type MediaRoot = (typeof MEDIA_ROOTS)[number]

// Every segment must be a plain name we could have written ourselves. A whitelist, rather than a
// list of bad patterns, is what keeps `..`, `%2e%2e`, `C:`, `\\server`, NUL and dot-files (our
// half-written `.tmp-*` files among them) out without having to enumerate every trick.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/
const MAX_SEGMENTS = 8

/**
 * Splits a library-relative media path (`images/2025/03/abc.png`) into its segments, or returns
 * null when it is not one: absolute, `..` anywhere, backslashes, empty segments, dot-files, or a
 * first folder other than images/, thumbs/ or refs/. Purely lexical; see resolveLibraryFile for the disk.
 */
export function parseMediaPath(rel: string): [MediaRoot, ...string[]] | null {
  if (typeof rel !== 'string' || rel.length === 0 || rel.length > 1024) return null
  const segments = rel.split('/')
  if (segments.length < 2 || segments.length > MAX_SEGMENTS) return null
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment.includes('..')) return null
  }
  const [root, ...rest] = segments
  if (!isMediaRoot(root)) return null
  return [root, ...rest]
}

/**
 * The absolute real path of a servable media file, or null. The file must exist, be a regular
 * file, and (symlinks resolved) still lie inside both the library home and the media folder it
 * was asked under, so a link in images/ can reach neither /etc nor the library's database.
 */
export async function resolveLibraryFile(home: string, rel: string): Promise<string | null> {
  const parsed = parseMediaPath(rel)
  if (parsed === null) return null
  const [root] = parsed
  try {
    const realHome = await realpath(home)
    const realRoot = await realpath(join(home, root))
    const real = await realpath(join(home, ...parsed))
    if (!isInside(realRoot, realHome) || !isInside(real, realRoot)) return null
    const info = await stat(real)
    return info.isFile() ? real : null
  } catch {
    // Missing file, dangling link, permission denied: all look the same from outside.
    return null
  }
}

const MIME_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
}

/** Content type for a media file by its extension; anything else is opaque bytes. */
export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

function isMediaRoot(value: string | undefined): value is MediaRoot {
  return (MEDIA_ROOTS as readonly string[]).includes(value ?? '')
}

function isInside(child: string, parent: string): boolean {
  const prefix = parent.endsWith(sep) ? parent : parent + sep
  return child.startsWith(prefix)
}
