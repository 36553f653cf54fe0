/**
 * Through the browser-mode bridge, over real HTTP on 127.0.0.1: a caller holding the token may
 * queue jobs, but cannot use a stored key as a courier. A per-job base URL on another host+port is
 * refused with the reason and the fix, and that server receives nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/api'
import { startBridge, type Bridge } from '../../src/web/bridge-server'
import { expectRefused, useSharedEngine } from '../helpers/hostile'
import { serve, type RecordingServer } from '../helpers/recording-server'
import { startProviderServer, type ProviderServer } from '../provider-server'

const TOKEN = 'key-host-token-0123456789abcdef01234567'
const library = useSharedEngine()
let bridge: Bridge
let site = ''
let provider: ProviderServer

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'proofsheet-key-host-site-'))
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Proofsheet</title>')
  bridge = await startBridge({ router: library.engine.router, home: library.home, staticDir: site, token: TOKEN })
  provider = await startProviderServer()
})
afterAll(async () => {
  await bridge?.close()
  await provider?.close()
  rmSync(site, { recursive: true, force: true })
})

async function bridgeCall<T = unknown>(name: string, input: unknown): Promise<Result<T>> {
  const res = await fetch(`http://127.0.0.1:${bridge.port}/api/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ name, input }),
  })
  return (await res.json()) as Result<T>
}

describe('the bridge does not let a token holder send a stored key elsewhere', () => {
  it('refuses jobs.generate with a stored key and a base URL on another port; that server hears nothing', async () => {
    const elsewhere: RecordingServer = await serve(() => ({ status: 200, json: { data: [] } }))
    expect((await bridgeCall('providers.save', { kind: 'override', id: 'openai', baseUrl: provider.baseUrl('openai') })).ok).toBe(true)
    const added = await bridgeCall<{ id: string }>('keys.add', { provider: 'openai', label: 'studio', secret: provider.validKey('openai') })
    if (!added.ok) throw new Error(JSON.stringify(added.error))

    const request = { provider: 'openai', prompt: 'courier test', sizes: [{ width: 1024, height: 1024 }] }
    for (const key of [{ key: { keyId: added.value.id } }, {}]) {
      const reply = await bridgeCall('jobs.generate', { ...request, ...key, baseUrl: `${elsewhere.url}/v1` })
      const error = expectRefused(reply, { field: 'baseUrl', says: /is not sent to 127\.0\.0\.1:\d+/ })
      expect(error.remedy).toMatchObject({ code: 'key_for_host', perJob: true })
      expect(error.fix).not.toMatch(/--/)
    }
    // Nothing was queued, so nothing can go out later either.
    const listed = await bridgeCall<{ jobs: unknown[] }>('jobs.list', {})
    expect(listed.ok && listed.value.jobs).toEqual([])
    expect(elsewhere.seen).toEqual([])
  })
})
