/**
 * Reading request bodies and writing replies for the fake provider server. Bodies are read whole
 * (a client's request is always logged, even one the provider refuses), and multipart forms are
 * parsed by the platform's own `Request.formData()`, the same parser `fetch` clients build against.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Larger than any documented upload limit (OpenAI: 16 files under 50 MB each). */
const MAX_BODY_BYTES = 900 * 1024 * 1024

export interface UploadedFile {
  field: string
  filename: string
  /** The content type the client declared for this part ('' when none). */
  type: string
  bytes: Buffer
}

export type RequestBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid-json'; text: string }
  | { kind: 'multipart'; fields: Map<string, string[]>; files: UploadedFile[] }
  | { kind: 'invalid-multipart' }
  | { kind: 'other'; contentType: string | null; size: number }

export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'bytes'; status: number; body: Buffer; contentType: string; headers?: Record<string, string> }
  /** `text/event-stream`: one `event:` + `data:` pair per event; `cut` ends the body inside the last one. */
  | { kind: 'event-stream'; status: 200; events: ServerSentEvent[]; cut?: boolean }

export interface ServerSentEvent {
  event: string
  data: unknown
}

export function formatEvent(e: ServerSentEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`
}

const EVENT_STREAM_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }

export class BodyTooLarge extends Error {}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined | null): string | null {
  if (!contentType) return null
  const essence = contentType.split(';')[0]?.trim().toLowerCase()
  return essence ? essence : null
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    total += buf.length
    if (total > MAX_BODY_BYTES) throw new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`)
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<RequestBody> {
  if (raw.length === 0) return { kind: 'none' }
  const type = mediaType(contentType)
  if (type === 'application/json') {
    const text = raw.toString('utf8')
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown }
    } catch {
      return { kind: 'invalid-json', text: text.slice(0, 200) }
    }
  }
  if (type === 'multipart/form-data' && contentType) {
    try {
      const form = await new Request('http://provider-server.invalid/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: raw,
      }).formData()
      const fields = new Map<string, string[]>()
      const files: UploadedFile[] = []
      for (const [name, value] of form) {
        if (typeof value === 'string') {
          fields.set(name, [...(fields.get(name) ?? []), value])
        } else {
          files.push({ field: name, filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) })
        }
      }
      return { kind: 'multipart', fields, files }
    } catch {
      return { kind: 'invalid-multipart' }
    }
  }
  return { kind: 'other', contentType: type, size: raw.length }
}

export function encodeReply(reply: Reply): { status: number; headers: Record<string, string>; body: Buffer } {
  if (reply.kind === 'json') {
    const body = Buffer.from(JSON.stringify(reply.body))
    return {
      status: reply.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers },
      body,
    }
  }
  if (reply.kind === 'event-stream') {
    return { status: reply.status, headers: { ...EVENT_STREAM_HEADERS }, body: Buffer.from(reply.events.map(formatEvent).join('')) }
  }
  return { status: reply.status, headers: { 'content-type': reply.contentType, ...reply.headers }, body: reply.body }
}

/**
 * Streams the events one write at a time, as a provider does while it draws: each is flushed
 * before the next, and `beforeLast` may hold the final event back (a test watching the partials).
 * Chunked, without a content-length, like a real event stream.
 */
export async function sendEventStream(
  res: ServerResponse,
  reply: Extract<Reply, { kind: 'event-stream' }>,
  beforeLast: () => Promise<void>,
): Promise<void> {
  if (res.destroyed || res.writableEnded) return
  res.writeHead(reply.status, EVENT_STREAM_HEADERS)
  const write = (text: string): Promise<void> => new Promise((resolve) => res.write(text, () => resolve()))
  for (const [i, event] of reply.events.entries()) {
    const last = i === reply.events.length - 1
    if (last) await beforeLast()
    if (res.destroyed) return
    const text = formatEvent(event)
    if (last && reply.cut) {
      // The connection closes cleanly in the middle of the final event's data line.
      await write(text.slice(0, Math.floor(text.length / 2)))
      res.end()
      return
    }
    await write(text)
  }
  res.end()
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return
  const { status, headers, body } = encodeReply(reply)
  res.writeHead(status, { ...headers, 'content-length': String(body.length) })
  res.end(body)
}

/**
 * Starts the reply as promised (status, headers, full content-length), sends part of the body and
 * then destroys the socket, the way a dropped connection looks to a client.
 */
export function sendThenReset(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return
  const { status, headers, body } = encodeReply(reply)
  res.writeHead(status, { ...headers, 'content-length': String(body.length) })
  const part = body.subarray(0, Math.max(1, Math.floor(body.length / 3)))
  res.write(part, () => res.destroy())
}

export const PROXY_502_HTML = [
  '<html>',
  '<head><title>502 Bad Gateway</title></head>',
  '<body>',
  '<center><h1>502 Bad Gateway</h1></center>',
  '<hr><center>nginx</center>',
  '</body>',
  '</html>',
  '',
].join('\r\n')
