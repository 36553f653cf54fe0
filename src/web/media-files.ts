import type { IncomingMessage, ServerResponse } from 'node:http'
import { mimeTypeFor, resolveLibraryFile } from '../main/core'
import { sendNotFound } from './http-replies'
import { safePathSegments } from './request-path'
import { streamFile } from './static-files'

/**
 * `/media/<rel>`: images and thumbnails from the library folder and nowhere else. The path is
 * decoded and checked here, then resolved by the engine's own `resolveLibraryFile`, which is the
 * single authority on what counts as a library file.
 */
export async function serveMedia(req: IncomingMessage, res: ServerResponse, home: string, relUrlPath: string): Promise<void> {
  const segments = safePathSegments(relUrlPath)
  if (!segments || segments.length === 0) return sendNotFound(res)
  const file = await resolveLibraryFile(home, segments.join('/')).catch(() => null)
  if (!file) return sendNotFound(res)
  try {
    await streamFile(req, res, file, mimeTypeFor(file), {
      'Cache-Control': 'private, max-age=3600',
      // Even a file that is not the image it claims to be cannot run script on our origin.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    })
  } catch {
    if (!res.headersSent) sendNotFound(res)
    else res.destroy()
  }
}
