/**
 * Hostile requests to the browser-mode bridge over real HTTP on 127.0.0.1, in front of the real
 * engine and library. Each row is a request body or header a buggy or hostile client could send;
 * each must get a contract error (code, field, message, fix), write nothing to the library, and
 * leave the bridge answering the next good call.
 */
import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/api'
import { MAX_BODY_BYTES, startBridge, type Bridge } from '../../src/web/bridge-server'
import { expectClearError, expectStillWorking, librarySnapshot, useSharedEngine, type Refusal, type Send } from '../helpers/hostile'

const TOKEN = 'hostile-token-0123456789abcdef0123456789'
const library = useSharedEngine()
let bridge: Bridge
let site = ''

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'proofsheet-hostile-site-'))
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Proofsheet</title>')
  bridge = await startBridge({ router: library.engine.router, home: library.home, staticDir: site, token: TOKEN })
})
afterAll(async () => {
  await bridge?.close()
  rmSync(site, { recursive: true, force: true })
})

interface Reply {
  status: number
  json: Result<unknown>
}

function post(body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: '/api/call',
        method: 'POST',
        headers: { Host: `127.0.0.1:${bridge.port}`, Authorization: `Bearer ${TOKEN}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<unknown> })
          // A request that declared more than it sent would keep the socket open otherwise.
          req.destroy()
        })
      },
    )
    req.on('error', reject)
    if ('Content-Length' in headers) req.write(body)
    else req.end(body)
  })
}

const overHttp: Send = async (name, input) => (await post(JSON.stringify({ name, input }))).json

interface Row {
  what: string
  body: string | Buffer
  headers?: Record<string, string>
  status: number
  want: Refusal
}

const nested = (levels: number) => `{"name":"jobs.list","input":{"limit":${'['.repeat(levels)}${']'.repeat(levels)}}}`

const rows: Row[] = [
  { what: 'malformed JSON', body: '{"name":', status: 400, want: { field: 'body', says: /not valid JSON/ } },
  { what: 'an empty body', body: '', status: 400, want: { field: 'body' } },
  { what: 'JSON behind a byte order mark', body: '\ufeff{"name":"providers.list"}', status: 400, want: { field: 'body' } },
  { what: 'bytes that are not UTF-8', body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), status: 400, want: { field: 'body' } },
  { what: 'a text/plain body', body: '{"name":"providers.list"}', headers: { 'Content-Type': 'text/plain' }, status: 415, want: { field: 'Content-Type' } },
  { what: 'no content type', body: '{"name":"providers.list"}', headers: {}, status: 415, want: { field: 'Content-Type' } },
  { what: 'a form post', body: 'name=providers.list', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, status: 415, want: { field: 'Content-Type' } },
  {
    what: 'a body declared over the limit',
    body: '{"name":"providers.list"}',
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(MAX_BODY_BYTES + 1) },
    status: 413,
    want: { field: 'body', says: /larger than/ },
  },
  { what: 'no name', body: '{"input":{}}', status: 400, want: { field: 'name' } },
  { what: 'a number as the name', body: '{"name":5,"input":{}}', status: 400, want: { field: 'name' } },
  { what: 'a call as an array', body: '[{"name":"providers.list","input":{}}]', status: 400, want: { field: 'name' } },
  { what: 'JSON null', body: 'null', status: 400, want: { field: 'name' } },
  { what: 'a bare string', body: '"providers.list"', status: 400, want: { field: 'name' } },
  { what: 'an extra field beside name and input', body: '{"name":"providers.list","input":{},"admin":true}', status: 400, want: { field: 'admin' } },
  { what: '__proto__ beside name and input', body: '{"name":"providers.list","__proto__":{"polluted":true}}', status: 400, want: { field: '__proto__' } },
  { what: '__proto__ inside the input', body: '{"name":"jobs.list","input":{"__proto__":{"polluted":true}}}', status: 200, want: { field: '__proto__' } },
  { what: 'an input that is a string', body: '{"name":"jobs.list","input":"limit=5"}', status: 200, want: { field: 'input' } },
  { what: 'an input that is an array', body: '{"name":"jobs.list","input":[5]}', status: 200, want: { field: 'input' } },
  { what: 'JSON nested 100,000 levels deep', body: nested(100_000), status: 200, want: { field: 'limit' } },
  { what: 'an unknown call', body: '{"name":"jobs.purge","input":{}}', status: 200, want: { field: 'name', says: /jobs\.purge/ } },
  { what: 'a duplicated name key (the last wins, and is unknown)', body: '{"name":"providers.list","name":"jobs.purge"}', status: 200, want: { field: 'name' } },
  { what: 'a number too big for a double', body: '{"name":"jobs.list","input":{"limit":1e400}}', status: 200, want: { field: 'limit' } },
  {
    what: 'a million keys',
    body: `{"name":"workspace.save","input":{"draft":{"templateValues":{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":"v"`).join(',')}}}}}`,
    status: 413,
    want: { field: 'input', says: /named fields/ },
  },
  { what: 'a million list items', body: `{"name":"gallery.delete","input":{"ids":[${'"x",'.repeat(999_999)}"x"]}}`, status: 413, want: { field: 'input', says: /list items/ } },
  { what: 'a 5 MB id', body: JSON.stringify({ name: 'jobs.get', input: { id: 'j'.repeat(5 * 1024 * 1024) } }), status: 200, want: { field: 'id', code: 'not_found' } },
]

describe('hostile bridge requests over HTTP', () => {
  it.each(rows)('$what: a contract error, nothing written, the bridge still answers', async ({ body, headers, status, want }) => {
    const before = librarySnapshot(library.home)
    const reply = await post(body, headers)
    expect(reply.status).toBe(status)
    expect(reply.json.ok).toBe(false)
    if (!reply.json.ok) expectClearError(reply.json.error, want)
    expect(librarySnapshot(library.home)).toEqual(before)
    await expectStillWorking(overHttp)
  })

  it('takes a content type in any case and with a charset', async () => {
    const reply = await post('{"name":"queue.state","input":{}}', { 'Content-Type': 'Application/JSON; charset=UTF-8' })
    expect(reply).toMatchObject({ status: 200, json: { ok: true } })
  })

  it('left Object.prototype alone', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
