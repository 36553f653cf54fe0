import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, sep } from 'node:path'
import { BASE_HEADERS, sendNotFound } from './http-replies'
import { safePathSegments } from './request-path'

/**
 * Serves the built renderer (out/renderer) with an index.html fallback. Files are resolved
 * through their real path and must stay inside the static folder, so neither `..` nor a symlink
 * can reach the rest of the disk.
 */

/** The page's policy; the media scheme of the Electron build has no meaning here. */
export const RENDERER_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

export function staticContentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** Streams a file that the caller has already confined; HEAD gets headers only. */
export async function streamFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  contentType: string,
  headers: Record<string, string>,
): Promise<void> {
  const info = await stat(path)
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': contentType,
    'Content-Length': String(info.size),
    ...headers,
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path)
    stream.on('error', () => {
      res.destroy()
      resolve()
    })
    res.on('close', () => {
      stream.destroy()
      resolve()
    })
    stream.pipe(res)
  })
}

async function confinedFile(root: string, segments: string[]): Promise<string | null> {
  try {
    const real = await realpath(join(root, ...segments))
    if (real !== root && !real.startsWith(root + sep)) return null
    return (await stat(real)).isFile() ? real : null
  } catch {
    return null
  }
}

export interface StaticSite {
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
}

export async function createStaticSite(staticDir: string): Promise<StaticSite> {
  const root = await realpath(staticDir)
  const index = await confinedFile(root, ['index.html'])
  if (!index) throw new Error(`No index.html in ${staticDir}: run npm run build first.`)

  const sendPage = (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const isHtml = path.endsWith('.html')
    return streamFile(req, res, path, staticContentType(path), {
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
      ...(isHtml ? { 'Content-Security-Policy': RENDERER_CSP } : {}),
    })
  }

  return {
    async serve(req, res, pathname) {
      const segments = safePathSegments(pathname)
      if (!segments) return sendNotFound(res)
      const file = segments.length === 0 ? index : await confinedFile(root, segments)
      if (file) return sendPage(req, res, file)
      // Paths without an extension are the app's own screens; anything else is a missing asset.
      const last = segments[segments.length - 1] ?? ''
      if (extname(last) === '') return sendPage(req, res, index)
      sendNotFound(res)
    },
  }
}
