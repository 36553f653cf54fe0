/**
 * A minimal OpenAI-compatible `/images/generations` endpoint for the benchmarks, run as its own
 * process so that none of its memory or CPU (the reply it keeps ready, socket buffers) is counted
 * against the engine being measured. It answers every valid call after the latency with
 * `{data:[{b64_json}]}` of the same PNG (n of them when asked for n): by default incompressible
 * noise, ~4 MB of base64; `--image flat` sends a few KB. Not a test double for behaviour:
 * test/provider-server is.
 *
 * Run: node --import tsx bench/fake-openai-server.ts [--latency-ms 300] [--image noise|flat]
 * Prints one JSON line on stdout, {"baseUrl": ..., "key": ...}, once it listens on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { NOISE_HEIGHT, NOISE_WIDTH, samplePng } from './sample-png'

const { values } = parseArgs({
  options: { 'latency-ms': { type: 'string', default: '300' }, image: { type: 'string', default: 'noise' } },
})
const latencyMs = Number(values['latency-ms'])
const kind = values.image
if (kind !== 'noise' && kind !== 'flat') throw new Error('--image is noise or flat')
const key = `sk-bench-${randomBytes(12).toString('hex')}`
const size = `${NOISE_WIDTH}x${NOISE_HEIGHT}`

const png = await samplePng(kind)
const base64 = png.toString('base64')
// Built once per n: the server's own cost per reply is a write of this buffer.
const replies = new Map<number, Buffer>()
function replyFor(n: number): Buffer {
  let reply = replies.get(n)
  if (!reply) {
    reply = Buffer.from(
      JSON.stringify({
        created: Math.floor(Date.now() / 1000),
        data: Array.from({ length: n }, () => ({ b64_json: base64, revised_prompt: 'benchmark noise' })),
        usage: { input_tokens: 10, output_tokens: 4160 * n, total_tokens: 10 + 4160 * n },
      }),
    )
    replies.set(n, reply)
  }
  return reply
}
let served = 0

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req)
  // CPU time of this process (every thread), so a benchmark can count the server's share of the cores.
  if (req.method === 'GET' && req.url === '/stats') {
    const cpu = process.cpuUsage()
    return json(res, 200, { served, cpuMs: (cpu.user + cpu.system) / 1000 })
  }
  if (req.method !== 'POST' || req.url !== '/v1/images/generations') {
    return json(res, 404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } })
  }
  if (req.headers.authorization !== `Bearer ${key}`) {
    return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } })
  }
  let body: { size?: unknown; n?: unknown; output_format?: unknown }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    return json(res, 400, { error: { message: 'Body is not JSON.', type: 'invalid_request_error' } })
  }
  const n = body.n
  if (body.size !== size || typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10 || body.output_format !== 'png') {
    return json(res, 400, { error: { message: `This bench server makes 1 to 10 ${size} png images per call.`, type: 'invalid_request_error' } })
  }
  const reply = replyFor(n)
  await new Promise((resolve) => setTimeout(resolve, latencyMs))
  served += n
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length })
  res.end(reply)
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => json(res, 500, { error: { message: String(err) } }))
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}/v1`, key, replyBytes: replyFor(1).length })}\n`)
})
// The worker that started us ends us; also end with it if it dies first.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
