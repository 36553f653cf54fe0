import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/main/core/engine'
import type { RouteName } from '../../../src/shared/api'
import { call as callRoute, refused as refusedRoute } from '../../helpers/engine'
import { startProviderServer, type ProviderServer } from '../../provider-server'

// Keys through the router, stored in the real keychain (the test run has a private Secret
// Service), checked against the provider test server over 127.0.0.1.

let server: ProviderServer
let engine: Engine
let home: string

beforeAll(async () => {
  server = await startProviderServer()
  home = mkdtempSync(join(tmpdir(), 'proofsheet-keys-'))
  engine = await createEngine({ home, demoDelayMs: 1 })
})

afterAll(async () => {
  await engine?.close()
  await server?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

/** The shared router helpers, bound to this file's one engine (it keeps the real keychain). */
const call = <N extends RouteName>(name: N, input: unknown) => callRoute(engine, name, input)
const refused = (name: RouteName, input: unknown) => refusedRoute(engine, name, input)

describe('keys in settings', () => {
  it('rotates a key in place: same id and label, new last digits, the old secret gone', async () => {
    const added = await call('keys.add', { provider: 'openai', label: 'Spring campaign', secret: 'sk-old-secret-1111' })
    expect(added.backend).toBe('keychain')
    const rotated = await call('keys.rotate', { id: added.id, secret: '  sk-new-secret-2222 ' })
    expect(rotated).toMatchObject({ id: added.id, label: 'Spring campaign', last4: '2222', available: true })
    const listed = await call('keys.list', {})
    expect(listed.keys.filter((k) => k.id === added.id)).toEqual([expect.objectContaining({ last4: '2222' })])
    // Nothing the router answers ever carries the secret.
    expect(JSON.stringify(listed)).not.toContain('sk-new-secret')

    expect(await refused('keys.rotate', { id: added.id, secret: 'short' })).toMatchObject({ field: 'secret' })
    expect(await refused('keys.rotate', { id: added.id, secret: 'has spaces in it' })).toMatchObject({ field: 'secret' })
    expect(await refused('keys.rotate', { id: 'key_missing', secret: 'sk-whatever-3333' })).toMatchObject({ code: 'not_found', field: 'id' })
    expect(await refused('keys.test', { id: 'key_missing' })).toMatchObject({ code: 'not_found', field: 'id' })
  })

  it('checks an OpenAI key for free against GET /models, and says when a key is refused', async () => {
    await call('providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })
    const good = await call('keys.add', { provider: 'openai', label: 'valid', secret: server.validKey('openai') })
    const bad = await call('keys.add', { provider: 'openai', label: 'revoked', secret: 'sk-proj-revoked-0000' })

    expect(await call('keys.test', { id: good.id })).toMatchObject({ outcome: 'valid', message: expect.stringContaining('nothing was charged') })
    expect(await call('keys.test', { id: bad.id })).toMatchObject({ outcome: 'rejected', message: expect.stringContaining('OpenAI refused the key') })
    const models = server.requestsTo('openai', 'models')
    expect(models).toHaveLength(2)
    expect(server.requestsTo('openai', 'generations')).toHaveLength(0)
  })

  it('sends nothing for a provider without a free check, and says so', async () => {
    await call('providers.save', { kind: 'override', id: 'toapis', baseUrl: server.baseUrl('toapis') })
    const key = await call('keys.add', { provider: 'toapis', label: 'studio', secret: server.validKey('toapis') })
    expect(await call('keys.test', { id: key.id })).toEqual({
      outcome: 'no_free_check',
      message: 'ToAPIs offers no free way to check a key. The first generation will show whether it works, and it is billed as usual.',
    })
    expect(server.requestsTo('toapis')).toHaveLength(0)
  })

  it('reports an unreachable provider as unreachable, not as a bad key', async () => {
    await call('providers.save', { kind: 'override', id: 'openai', baseUrl: 'http://127.0.0.1:9/v1' })
    const [key] = (await call('keys.list', {})).keys.filter((k) => k.label === 'valid')
    expect(await call('keys.test', { id: key!.id })).toMatchObject({ outcome: 'unreachable' })
  })
})
