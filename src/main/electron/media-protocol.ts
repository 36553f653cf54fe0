/**
 * Serves library images to the window through `proofsheet-media://library/<rel>`, so the
 * renderer never gets file:// access. Only files that resolveLibraryFile vouches for (inside
 * images/ or thumbs/ of the library, symlinks resolved) are served; everything else is a bare 404.
 * Electron objects are passed in, so the handler itself runs and is tested under plain Node.
 */
import { constants as fsConstants } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { CustomScheme, Protocol } from 'electron'
import { mimeTypeFor as defaultMimeTypeFor, resolveLibraryFile } from '../core'
import { MEDIA_SCHEME, parseMediaUrl } from './media-url'

/** Must be registered before the app's `ready` event; Electron ignores it afterwards. */
export const MEDIA_SCHEME_DEFINITION: CustomScheme = {
  scheme: MEDIA_SCHEME,
  // standard: real origin and URL parsing (dot segments resolved, host lowercased);
  // secure: not "mixed content"; supportFetchAPI: the renderer may fetch() an image for export.
  privileges: { standard: true, secure: true, supportFetchAPI: true },
}

/** Sent with every media file, as the browser-mode /media/ route does. */
const MEDIA_RESPONSE_CSP = "default-src 'none'; sandbox"

export function registerMediaScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([MEDIA_SCHEME_DEFINITION])
}

export interface MediaHandlerDeps {
  /** The library folder. */
  readonly home: string
  readonly resolveFile?: (home: string, rel: string) => Promise<string | null>
  readonly mimeTypeFor?: (path: string) => string
}

export function createMediaHandler(deps: MediaHandlerDeps): (request: Request) => Promise<Response> {
  const resolveFile = deps.resolveFile ?? resolveLibraryFile
  const mimeTypeFor = deps.mimeTypeFor ?? defaultMimeTypeFor

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const rel = parseMediaUrl(request.url)
    if (rel === null) return plain(404, 'Not found')
    const real = await resolveFile(deps.home, rel).catch(() => null)
    if (real === null) return plain(404, 'Not found')

    // O_NOFOLLOW: if the final name was swapped for a symlink after it was resolved, refuse it.
    const handle = await open(real, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0)).catch(() => null)
    if (!handle) return plain(404, 'Not found')
    try {
      const info = await handle.stat()
      if (!info.isFile()) {
        await handle.close()
        return plain(404, 'Not found')
      }
      const headers = {
        'Content-Type': mimeTypeFor(real),
        'Content-Length': String(info.size),
        'X-Content-Type-Options': 'nosniff',
        // Even a file that is not the image it claims to be cannot run script if opened as a page.
        'Content-Security-Policy': MEDIA_RESPONSE_CSP,
      }
      if (request.method === 'HEAD') {
        await handle.close()
        return new Response(null, { status: 200, headers })
      }
      // The stream owns the handle from here and closes it when done or aborted.
      const body = Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>
      return new Response(body, { status: 200, headers })
    } catch {
      await handle.close().catch(() => undefined)
      return plain(404, 'Not found')
    }
  }
}

/** Installs the handler on the (default-session) protocol module; returns the undo. */
export function handleMediaProtocol(protocol: Pick<Protocol, 'handle' | 'unhandle'>, deps: MediaHandlerDeps): () => void {
  protocol.handle(MEDIA_SCHEME, createMediaHandler(deps))
  return () => protocol.unhandle(MEDIA_SCHEME)
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  })
}
