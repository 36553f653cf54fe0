import { describe, expect, it } from 'vitest'
import { PROVIDER_IDS, startProviderServer } from '../../provider-server'
import { errorJson, postJson, providerServer } from './helpers'

describe('provider server', () => {
  it('listens on 127.0.0.1 and mounts each provider under its real base path', async () => {
    const server = await providerServer()
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(Object.fromEntries(PROVIDER_IDS.map((id) => [id, server.baseUrl(id).slice(server.origin.length)]))).toEqual({
      openai: '/openai/v1',
      gettoken: '/gettoken/image/v1',
      tokenhub: '/tokenhub/api/v1',
      tokensmart: '/tokensmart/v1',
      toapis: '/toapis/v1',
      getimg: '/getimg/v2',
    })
  })

  it('gives each provider its own key, new for every server', async () => {
    const a = await providerServer()
    const b = await providerServer()
    const keys = PROVIDER_IDS.map((id) => a.validKey(id))
    expect(new Set(keys).size).toBe(PROVIDER_IDS.length)
    expect(PROVIDER_IDS.map((id) => b.validKey(id))).not.toContain(keys[0])
    // One provider's key is just a wrong key at another.
    expect((await postJson(a, 'tokenhub', '/images/generations', { model: 'gpt-image-2', prompt: 'x' }, { key: a.validKey('openai') })).status).toBe(401)
  })

  it('logs every request with credentials redacted and the body as sent', async () => {
    const server = await providerServer()
    await postJson(server, 'getimg', '/images/generations', { model: 'gpt-image-2', prompt: 'logged', aspect_ratio: '3:2' }, { headers: { 'x-trace': 'abc' } })
    const [entry] = server.requests
    expect(entry).toMatchObject({
      seq: 1,
      provider: 'getimg',
      route: 'generations',
      method: 'POST',
      path: '/getimg/v2/images/generations',
      auth: { scheme: 'bearer', matched: true },
      body: { kind: 'json', value: { model: 'gpt-image-2', prompt: 'logged', aspect_ratio: '3:2' } },
      status: 200,
      reset: false,
      fault: null,
      accepted: true,
    })
    expect(entry!.headers).toMatchObject({ authorization: '[REDACTED]', 'x-trace': 'abc', 'content-type': 'application/json' })
    expect(JSON.stringify(server.requests)).not.toContain(server.validKey('getimg'))
  })

  it('answers 404 outside the prefixes and on routes a provider does not have', async () => {
    const server = await providerServer()
    expect((await fetch(`${server.origin}/v1/images/generations`, { method: 'POST' })).status).toBe(404)
    expect(await errorJson(await postJson(server, 'openai', '/images/variations', {}))).toMatchObject({
      status: 404,
      body: { error: { message: 'Invalid URL (POST /openai/v1/images/variations)' } },
    })
    expect(server.requests.map((r) => [r.provider, r.route])).toEqual([
      [null, null],
      ['openai', null],
    ])
  })

  it('counts submissions per prompt, leaving out refused requests', async () => {
    const server = await providerServer()
    const body = { model: 'gpt-image-2', prompt: 'count me', size: '1024x1024' }
    await postJson(server, 'tokensmart', '/images/generations', body)
    await postJson(server, 'tokensmart', '/images/generations', body, { key: 'bad' })
    await postJson(server, 'tokensmart', '/images/generations', { ...body, n: 3 })
    expect(server.submissionsFor('tokensmart', 'count me')).toBe(1)
  })

  it('reset() forgets requests, charges, tasks and faults but keeps keys', async () => {
    const server = await providerServer()
    const key = server.validKey('toapis')
    await postJson(server, 'toapis', '/images/generations', { model: 'gpt-image-2', prompt: 'x' })
    server.inject('toapis', { status: 500 })
    server.reset()
    expect([server.requests.length, server.tasks.length, server.pendingFaults().length]).toEqual([0, 0, 0])
    expect(server.validKey('toapis')).toBe(key)
  })

  it('applies latencyMs and closes promptly while a slow reply is pending', async () => {
    const server = await startProviderServer({ latencyMs: 20 })
    expect((await postJson(server, 'gettoken', '/images/generations', { model: 'gpt-image-2', prompt: 'x' })).status).toBe(200)
    server.inject('gettoken', 'slow', { delayMs: 60_000 })
    const pending = postJson(server, 'gettoken', '/images/generations', { model: 'gpt-image-2', prompt: 'x' }).catch((err: unknown) => err)
    while (server.requests.length < 2 || !server.requests[1]!.accepted) await new Promise((r) => setTimeout(r, 5))
    await server.close()
    expect(await pending).toBeInstanceOf(Error)
    expect(server.internalErrors).toEqual([])
  })
})
