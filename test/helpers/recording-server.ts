/**
 * A tiny HTTP server on 127.0.0.1 for adapter tests: it records every request (method, path,
 * headers, JSON body) and answers with whatever the test's handler returns. Closed when the test
 * that opened it finishes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'

export interface Seen {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
}

export interface Answer {
  status?: number
  json?: unknown
  bytes?: Uint8Array
  headers?: Record<string, string>
}

export interface RecordingServer {
  url: string
  seen: Seen[]
}

export async function serve(handler: (req: Seen) => Answer | Promise<Answer>): Promise<RecordingServer> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text || undefined
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        // keep the raw text
      }
      const entry: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body }
      seen.push(entry)
      void Promise.resolve(handler(entry)).then((answer) => {
        const payload = answer.bytes ?? (answer.json === undefined ? undefined : Buffer.from(JSON.stringify(answer.json)))
        const type = answer.bytes ? 'application/octet-stream' : 'application/json'
        res.writeHead(answer.status ?? 200, { 'content-type': type, ...answer.headers })
        res.end(payload)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}
