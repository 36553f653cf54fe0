/**
 * Heavy calls with the token, over real HTTP in front of the real engine: the largest reference
 * image the engine takes is decoded off the event loop, so other calls are answered meanwhile;
 * a bigger one, or a body of a million keys, is refused before the work starts.
 */
import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result, Router } from '../../src/shared/api'
import { startBridge, type Bridge } from '../../src/web/bridge-server'
import { useSharedEngine } from '../helpers/hostile'

const TOKEN = 'heavy-calls-token-0123456789abcdef012345'
const library = useSharedEngine()
let bridge: Bridge
let site = ''
/** Resolves when the engine's router begins a refs.import (the body is in; the work begins). */
let importStarted: () => void = () => undefined

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'proofsheet-heavy-site-'))
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Proofsheet</title>')
  const engineRouter = library.engine.router
  const router: Router = {
    handle(name, input) {
      const answer = engineRouter.handle(name, input)
      if (name === 'refs.import') importStarted()
      return answer
    },
    subscribe: (listener) => engineRouter.subscribe(listener),
  }
  bridge = await startBridge({ router, home: library.home, staticDir: site, token: TOKEN })
})
afterAll(async () => {
  await bridge?.close()
  rmSync(site, { recursive: true, force: true })
})

function callOverHttp(name: string, input: unknown): Promise<{ status: number; json: Result<unknown> }> {
  const body = JSON.stringify({ name, input })
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: '/api/call',
        method: 'POST',
        headers: { Host: `127.0.0.1:${bridge.port}`, Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<unknown> }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('heavy calls over the bridge', () => {
  it('answers providers.list while a large reference (4096x4096) is being checked', async () => {
    const png = await sharp({ create: { width: 4096, height: 4096, channels: 3, background: '#abc' } }).png({ compressionLevel: 9 }).toBuffer()
    const started = new Promise<void>((resolve) => (importStarted = resolve))
    let importDone = false
    const heavy = callOverHttp('refs.import', { name: 'at the cap.png', base64: png.toString('base64') }).then((reply) => {
      importDone = true
      return reply
    })
    await started
    const list = await callOverHttp('providers.list', {})
    expect(list.json.ok).toBe(true)
    // Answered while the image was still being decoded: the decode does not hold the server.
    expect(importDone).toBe(false)
    expect((await heavy).json).toMatchObject({ ok: true, value: { width: 4096, height: 4096 } })
  }, 30_000)

  it('refuses the reported 16384x16384 reference at once, from its header', async () => {
    const png = await sharp({ create: { width: 16384, height: 2, channels: 3, background: '#000' } }).png().toBuffer()
    // Same container, header rewritten to claim 16384 rows: what the attack sent, without 268 MP to encode.
    png.writeUInt32BE(16384, 20)
    const reply = await callOverHttp('refs.import', { name: 'bomb.png', base64: png.toString('base64') })
    expect(reply.json).toMatchObject({ ok: false, error: { field: 'base64', message: expect.stringContaining('bomb.png is too large to use as a reference') } })
    expect((await callOverHttp('providers.list', {})).json.ok).toBe(true)
  })
})
