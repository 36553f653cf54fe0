import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ApiError, Router } from '../shared/api'
import { MAX_INPUT_ITEMS, MAX_INPUT_KEYS, tooManyItems, tooManyKeys } from '../main/core'
import {
  bearerToken,
  hasSessionCookie,
  isAllowedHost,
  isAllowedOrigin,
  isFromOtherPage,
  newSession,
  newToken,
  sessionCookie,
  splitAppPath,
  tokenMatches,
  type BrowserSession,
} from './bridge-guard'
import { createEventStreams } from './event-stream'
import { createJsonShapeScanner } from './json-shape-scan'
import {
  BASE_HEADERS,
  sendBadCall,
  sendFailure,
  sendForbidden,
  sendJson,
  sendMethodNotAllowed,
  sendNotFound,
  sendSignInUsed,
  sendUnauthorized,
} from './http-replies'
import { serveMedia } from './media-files'
import { createStaticSite } from './static-files'

/**
 * Browser mode's door into the engine: a second adapter over the same Router the Electron IPC
 * adapter uses, for development and end-to-end tests. It listens on 127.0.0.1 only and trusts
 * nothing about a request until the guard has checked its Host, Origin and token; it must never
 * be bound to another interface or serve files from outside the library and the renderer build.
 */

/** refs.import carries up to 50 MB of image as base64 (about 67 MB); no other call comes close. */
export const MAX_BODY_BYTES = 72 * 1024 * 1024
const MAX_DISCARD_BYTES = 2 * MAX_BODY_BYTES
/**
 * Node refuses request headers over 16 KB with a 431. Any page on another port of 127.0.0.1 can
 * set cookies that the browser then sends here too (up to 180 of 4 KB each in Chromium), which
 * would lock the app out that way; this takes the largest Cookie header a browser can send.
 */
export const MAX_HEADER_BYTES = 1024 * 1024

export interface BridgeOptions {
  router: Router
  /** The library folder; `/media/<rel>` serves files from here only (a function: the one open now). */
  home: string | (() => string)
  /** 0 or absent: any free port. */
  port?: number
  /** The built renderer (out/renderer). */
  staticDir: string
  /** Fixed token for tests; by default 32 random bytes, hex. */
  token?: string
}

export interface Bridge {
  /**
   * `http://127.0.0.1:PORT/?token=TOKEN`: opening it once signs a browser in (it is swapped for a
   * session cookie and the app's own address); opened again, it is refused. The token itself
   * stays valid as an `Authorization: Bearer` header for scripts.
   */
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; field: string; message: string; fix: string }

// The router's caps on an input, plus the call's own two keys ("name", "input"), so the bridge
// never refuses what the router would take; the router checks again (it also serves IPC).
const BODY_SHAPE = { maxKeys: MAX_INPUT_KEYS + 2, maxItems: MAX_INPUT_ITEMS }

function tooMuchShape(error: ApiError): BodyResult {
  return { ok: false, status: 413, field: error.field ?? 'input', message: error.message, fix: error.fix ?? 'Send a smaller call.' }
}

function isJsonContentType(header: string | undefined): boolean {
  return typeof header === 'string' && header.split(';')[0]?.trim().toLowerCase() === 'application/json'
}

function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    field: 'body',
    message: `The request body is larger than ${(limit / 1024 / 1024).toFixed(1)} MB.`,
    fix: 'Send large files by path or URL, not inside the call.',
  }
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(tooLarge)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const shape = createJsonShapeScanner(BODY_SHAPE)
    let size = 0
    const stop = (result: BodyResult): void => {
      // Stop buffering but leave the socket alone, so the 413 can still be written.
      req.off('data', onData)
      req.pause()
      resolve(result)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) return stop(tooLarge)
      const verdict = shape.push(chunk)
      if (verdict === 'too-many-keys') return stop(tooMuchShape(tooManyKeys()))
      if (verdict === 'too-many-items') return stop(tooMuchShape(tooManyItems()))
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('error', () => resolve({ ok: false, status: 400, field: 'body', message: 'The request body was cut off.', fix: 'Send the call again.' }))
    req.on('end', () => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown })
      } catch {
        resolve({ ok: false, status: 400, field: 'body', message: 'The request body is not valid JSON.', fix: 'Send {"name": "...", "input": {...}} as JSON (UTF-8, no byte order mark).' })
      }
    })
  })
}

async function handleCall(req: IncomingMessage, res: ServerResponse, router: Router): Promise<void> {
  if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST')
  if (!isJsonContentType(req.headers['content-type'])) {
    return sendBadCall(res, 415, 'Content-Type', 'Calls must be sent as JSON.', 'Set Content-Type: application/json.')
  }
  const body = await readJsonBody(req, MAX_BODY_BYTES)
  if (!body.ok) {
    if (body.status !== 413) return sendBadCall(res, body.status, body.field, body.message, body.fix)
    // Answer first, then discard the rest of the upload so the client can read the 413 (closing
    // with unread data would reset the connection); a sender that never stops is cut off.
    res.on('finish', () => {
      let discarded = 0
      req.on('data', (chunk: Buffer) => {
        discarded += chunk.length
        if (discarded > MAX_DISCARD_BYTES) req.destroy()
      })
      req.resume()
    })
    return sendBadCall(res, 413, body.field, body.message, body.fix, { Connection: 'close' })
  }
  const call = body.value
  if (typeof call !== 'object' || call === null || Array.isArray(call) || typeof (call as { name?: unknown }).name !== 'string') {
    return sendBadCall(res, 400, 'name', 'A call needs a "name" string.', 'Send {"name": "providers.list", "input": {}}.')
  }
  // A call is its name and input and nothing else; anything more is a client that means something we do not do.
  const extra = Object.keys(call).find((key) => key !== 'name' && key !== 'input')
  if (extra !== undefined) {
    return sendBadCall(res, 400, extra.slice(0, 80), `A call has only "name" and "input"; "${extra.slice(0, 80)}" is not part of it.`, 'Send {"name": "...", "input": {...}} and nothing else.')
  }
  const { name, input } = call as { name: string; input?: unknown }
  try {
    // The router validates name and input itself and answers with a Result either way.
    sendJson(res, 200, await router.handle(name, input ?? {}))
  } catch {
    sendFailure(res, 500, 'internal', 'The engine failed to answer this call.', 'Check the terminal running npm run web.')
  }
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { router } = options
  const home = typeof options.home === 'string' ? () => options.home as string : options.home
  const token = options.token ?? newToken()
  if (token.length < 16) throw new Error('The bridge token must be at least 16 characters.')
  const site = await createStaticSite(options.staticDir)
  const streams = createEventStreams(router)
  let port = 0

  // One browser session per start: the printed address is swapped for it once.
  let session: BrowserSession | null = null
  let tokenSpent = false

  const authorized = (req: IncomingMessage): boolean => {
    const byBearer = tokenMatches(bearerToken(req), token)
    const byCookie = hasSessionCookie(req, session)
    return byBearer || byCookie
  }

  const signIn = (res: ServerResponse, presented: string | null): void => {
    if (!tokenMatches(presented, token)) return sendUnauthorized(res)
    if (tokenSpent) return sendSignInUsed(res)
    // Spent before anything is written, so two requests racing with the same address make one session.
    tokenSpent = true
    session = newSession()
    // The token never becomes the cookie: the session is a secret of its own, and the address
    // moves to the app's path, so the token does not linger in history or a copied address.
    res.writeHead(303, { ...BASE_HEADERS, Location: `${session.basePath}/`, 'Set-Cookie': sessionCookie(session), 'Cache-Control': 'no-store' })
    res.end()
  }

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req, port)) return sendForbidden(res, 'unexpected Host header')
    if (!isAllowedOrigin(req, port)) return sendForbidden(res, 'request from another origin')

    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    const { prefix, rest } = splitAppPath(url.pathname)
    if (prefix !== null && rest === '') {
      // The page's relative URLs (assets, calls) need the app's path to end in a slash.
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendNotFound(res)
      res.writeHead(308, { ...BASE_HEADERS, Location: `${prefix}/${url.search}`, 'Cache-Control': 'no-store' })
      res.end()
      return
    }
    const path = prefix === null ? url.pathname : rest
    const isApi = path === '/api' || path.startsWith('/api/')
    const isMedia = path.startsWith('/media/')

    if (isApi || isMedia) {
      if (isFromOtherPage(req)) return sendForbidden(res, 'request from another page')
      if (!authorized(req)) return sendUnauthorized(res)
      if (path === '/api/call') return handleCall(req, res, router)
      if (path === '/api/events') {
        if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET')
        return streams.open(req, res)
      }
      if (isMedia) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET, HEAD')
        return serveMedia(req, res, home(), path.slice('/media/'.length))
      }
      return sendNotFound(res)
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET, HEAD')
    if (prefix === null && path === '/' && url.searchParams.has('token')) return signIn(res, url.searchParams.get('token'))
    // The renderer bundle itself is public code; everything it fetches needs the session.
    return site.serve(req, res, path)
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    dispatch(req, res).catch(() => {
      if (!res.headersSent) sendFailure(res, 500, 'internal', 'The bridge failed to answer.', 'Check the terminal running npm run web.')
      else res.destroy()
    })
  })
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closing: Promise<void> | null = null
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        streams.closeAll()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return closing
    },
  }
}
