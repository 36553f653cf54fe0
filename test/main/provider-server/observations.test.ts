/**
 * What the server observes for load and fault tests: several keys per provider, how many requests
 * were open at once, when each arrived and ended, and faults drawn per request from a source.
 */
import { describe, expect, it } from 'vitest'
import { PROVIDER_IDS } from '../../provider-server'
import { postJson, providerServer } from './helpers'

const GEN = '/images/generations'
const GOOD = { model: 'gpt-image-2', prompt: 'observed', size: '1024x1024' }

describe('provider server observations', () => {
  it('accepts every key made with addKey and logs which one came, never its value', async () => {
    const server = await providerServer()
    const second = server.addKey('gettoken')
    expect(second).not.toBe(server.validKey('gettoken'))
    expect(second.startsWith('gt-img-test-')).toBe(true)
    expect((await postJson(server, 'gettoken', GEN, GOOD)).status).toBe(200)
    expect((await postJson(server, 'gettoken', GEN, GOOD, { key: second })).status).toBe(200)
    expect((await postJson(server, 'gettoken', GEN, GOOD, { key: 'gt-img-test-unknown' })).status).toBe(401)
    // A key of one provider is no key at another.
    expect((await postJson(server, 'openai', GEN, GOOD, { key: second })).status).toBe(401)
    expect(server.requestsTo('gettoken').map((r) => r.auth)).toEqual([
      { scheme: 'bearer', matched: true, keyIndex: 0 },
      { scheme: 'bearer', matched: true, keyIndex: 1 },
      { scheme: 'bearer', matched: false },
    ])
    expect(JSON.stringify(server.requests)).not.toContain(second)
  })

  it('counts requests open at once per provider, with arrival and end times', async () => {
    const server = await providerServer()
    server.inject('openai', 'slow', { times: 3, delayMs: 300 })
    const replies = await Promise.all([1, 2, 3].map(() => postJson(server, 'openai', GEN, GOOD)))
    await Promise.all(replies.map((r) => r.arrayBuffer()))
    await postJson(server, 'gettoken', GEN, GOOD).then((r) => r.arrayBuffer())
    expect(server.inFlight('openai')).toEqual({ now: 0, peak: 3 })
    expect(server.inFlight('gettoken')).toEqual({ now: 0, peak: 1 })
    expect(server.inFlight('toapis')).toEqual({ now: 0, peak: 0 })
    for (const r of server.requests) expect(r.endedAt).toBeGreaterThanOrEqual(r.receivedAt)
    // The three slow replies overlapped: each arrived before any of them ended.
    const slow = server.requestsTo('openai')
    const firstEnd = Math.min(...slow.map((r) => r.endedAt!))
    expect(slow.every((r) => r.receivedAt < firstEnd)).toBe(true)
    server.reset()
    expect(server.inFlight('openai')).toEqual({ now: 0, peak: 0 })
  })

  it('counts a request the client gave up on as ended', async () => {
    const server = await providerServer()
    server.inject('openai', 'slow', { delayMs: 5000 })
    const abort = new AbortController()
    const pending = postJson(server, 'openai', GEN, GOOD, { signal: abort.signal }).catch((err: unknown) => err)
    await new Promise((r) => setTimeout(r, 100))
    expect(server.inFlight('openai').now).toBe(1)
    abort.abort()
    await pending
    await new Promise((r) => setTimeout(r, 100))
    expect(server.inFlight('openai')).toEqual({ now: 0, peak: 1 })
  })

  it('draws a fault per request from a source when no injected fault fits, and checks it', async () => {
    const server = await providerServer()
    const asked: string[] = []
    server.setFaultSource(({ provider, route }) => {
      asked.push(`${provider}:${route}`)
      return provider === 'tokenhub' ? { fault: { status: 429, retryAfterSeconds: 7 } } : null
    })
    server.inject('tokenhub', { status: 503 })
    expect((await postJson(server, 'tokenhub', GEN, GOOD)).status).toBe(503) // the injected one first
    const limited = await postJson(server, 'tokenhub', GEN, GOOD)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect((await postJson(server, 'gettoken', GEN, GOOD)).status).toBe(200)
    // A refused request never reaches the source.
    expect((await postJson(server, 'tokenhub', GEN, GOOD, { key: 'th-test-wrong' })).status).toBe(401)
    expect(asked).toEqual(['tokenhub:generations', 'gettoken:generations'])
    expect(server.requestsTo('tokenhub').map((r) => r.fault)).toEqual([{ status: 503 }, { status: 429, retryAfterSeconds: 7 }, null])

    // A fault the provider cannot produce there is a broken test, reported as the server's own error.
    server.setFaultSource(() => ({ fault: 'task-failed' }))
    expect((await postJson(server, 'openai', GEN, GOOD)).status).toBe(500)
    expect(server.internalErrors.join('\n')).toContain('fault source: openai cannot produce')
    server.setFaultSource(null)
    expect((await postJson(server, 'openai', GEN, GOOD)).status).toBe(200)
  })

  it('lists the faults each provider can produce on a route', async () => {
    const server = await providerServer()
    expect(server.possibleFaults('toapis', 'generations')).toEqual(
      expect.arrayContaining(['reset', 'slow', 'html', { status: 429 }, 'content-policy', 'task-failed', 'task-stuck', 'empty-data']),
    )
    const poll = server.possibleFaults('toapis', 'poll')
    expect(poll).toEqual(expect.arrayContaining(['reset', { status: 429 }, { status: 503 }]))
    expect(poll).not.toContainEqual('content-policy')
    expect(poll).not.toContainEqual('task-failed')
    expect(server.possibleFaults('openai', 'generations')).not.toContainEqual({ status: 402 })
    expect(server.possibleFaults('getimg', 'file')).toEqual(expect.arrayContaining(['reset', 'html', { status: 404 }, { status: 502 }]))
    // Every listed fault is one inject accepts for that route.
    for (const provider of PROVIDER_IDS) {
      for (const route of ['generations', 'poll', 'file'] as const) {
        if (route === 'poll' && provider !== 'toapis') continue
        for (const fault of server.possibleFaults(provider, route)) expect(() => server.inject(provider, fault, { on: route })).not.toThrow()
      }
    }
  })
})
