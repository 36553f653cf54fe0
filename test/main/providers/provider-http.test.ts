import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { DialectCall } from '../../../src/main/core/providers/dialect'
import { dialectCall } from '../../helpers/dialect-call'
import { providerFailure } from '../../helpers/provider-failure'
import { builtinProfiles } from '../../../src/main/core/providers/builtin-profiles'
import { errorFromReply, parseRetryAfter } from '../../../src/main/core/providers/http/error-mapping'
import { readJson, send } from '../../../src/main/core/providers/http/provider-http'
import { applyOverride } from '../../../src/main/core/providers/profile-settings'
import type { ProviderProfile } from '../../../src/main/core/providers/profile'

const servers: Server[] = []
afterEach(() => servers.splice(0).forEach((s) => s.close()))

async function server(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<string> {
  const s = createServer(handler)
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`
}

/** A call with this (possibly changed) profile, pointed at `baseUrl`. */
function call(profile: ProviderProfile, baseUrl: string): DialectCall {
  return dialectCall(profile.id, baseUrl, { profile: { ...profile, baseUrl }, secret: 'secret-key-123' })
}

const profile = (id: string) => builtinProfiles.find((p) => p.id === id)!

const failure = providerFailure

describe('send', () => {
  it('gives up after the profile timeout (a saved override sets it) and calls it retryable', async () => {
    const url = await server(() => undefined) // never answers
    const slow = { ...applyOverride(profile('gettoken'), { kind: 'override', id: 'gettoken', timeoutSeconds: 300 }), timeoutMs: 150 }
    expect(applyOverride(profile('gettoken'), { kind: 'override', id: 'gettoken', timeoutSeconds: 300 }).timeoutMs).toBe(300_000)
    const err = await failure(send(call(slow, url), { method: 'POST', path: 'images/generations', json: {} }))
    expect(err).toMatchObject({ kind: 'retryable', code: 'timeout' })
  })

  it('refuses to send a key to a plain-http host that is not this machine', async () => {
    let fetched = false
    const c = { ...call(profile('openai'), 'http://api.example.com/v1'), fetch: (async () => ((fetched = true), new Response())) as typeof fetch }
    const err = await failure(send(c, { method: 'POST', path: 'images/generations', json: {} }))
    expect(err).toMatchObject({ kind: 'input', code: 'insecure_base_url' })
    expect(fetched).toBe(false)
  })

  it('calls a reply cut off mid-body a network problem, and a reply that is not JSON the provider\'s', async () => {
    const url = await server((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' })
      if (req.url?.includes('garbled')) return res.end('<html>'.padEnd(400, ' '))
      res.write('{"id":"task_1","status":"in_pro', () => res.destroy())
    })
    const c = call(profile('toapis'), url)
    const cut = await failure(send(c, { method: 'GET', path: 'images/generations/task_1' }).then((res) => readJson(c, res)))
    expect(cut).toMatchObject({ kind: 'retryable' })
    expect(cut.message).toMatch(/broke off in the middle of its reply/)
    const garbled = await failure(send(c, { method: 'GET', path: 'images/generations/garbled' }).then((res) => readJson(c, res)))
    expect(garbled).toMatchObject({ kind: 'provider_down', code: 'bad_json' })
  })

  it('puts the key in the header the profile names', async () => {
    const seen: Record<string, string | undefined>[] = []
    const url = await server((req, res) => {
      seen.push({ authorization: req.headers.authorization, 'x-api-key': req.headers['x-api-key'] as string | undefined })
      res.setHeader('content-type', 'application/json')
      res.end('{"data":[]}')
    })
    await send(call(profile('tokensmart'), url), { method: 'POST', path: 'images/generations', json: {} })
    await send(call(profile('openai'), url), { method: 'POST', path: 'images/generations', json: {} })
    expect(seen).toEqual([
      { authorization: undefined, 'x-api-key': 'secret-key-123' },
      { authorization: 'Bearer secret-key-123', 'x-api-key': undefined },
    ])
  })
})

describe('errorFromReply', () => {
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    errorFromReply({ status, body, headers: new Headers(headers), providerName: 'P', now: Date.UTC(2026, 10, 23, 12) })

  it.each([
    [400, { error: { code: 'invalid_request', message: 'bad size' } }, 'input'],
    [400, { error: { code: 'content_policy_violation', message: 'no' } }, 'content_policy'],
    [400, { error: { message: 'blocked', type: 'image_generation_user_error', code: 'moderation_blocked' } }, 'content_policy'],
    [422, { error: { code: 422, type: 'content_policy_violation', message: 'no' } }, 'content_policy'],
    [401, { error: { code: 'invalid_api_key' } }, 'auth'],
    [402, { error: { code: 'insufficient_balance' } }, 'billing'],
    [403, { error: { code: 'MODEL_ACCESS_DENIED' } }, 'auth'],
    [404, { error: { code: 'model_not_found' } }, 'input'],
    [429, { error: { code: 'rate_limit_exceeded' } }, 'retryable'],
    [429, { error: { code: 'insufficient_quota', message: 'quota' } }, 'billing'],
    [502, { error: { code: 'upstream_error' } }, 'provider_down'],
    [503, '<html><body>Service Unavailable</body></html>', 'provider_down'],
    [400, { message: 'getimg-style top-level message' }, 'input'],
    // OpenAI's "organization must be verified": the generic type must not make an auth problem an input one.
    [403, { error: { message: 'Your organization must be verified', type: 'invalid_request_error', param: null, code: null } }, 'auth'],
    [401, { error: { type: 'invalid_request_error', message: 'Incorrect API key' } }, 'auth'],
    [429, { error: { type: 'invalid_request_error', message: 'slow down' } }, 'retryable'],
    [400, { error: { type: 'invalid_request_error', message: 'bad size' } }, 'input'],
    // getimg sends no code: its filter's refusal is read from the message.
    [400, { error: { message: 'The prompt was flagged by the content filter.' } }, 'content_policy'],
    [400, { message: 'Request blocked by our safety system' }, 'content_policy'],
    [400, { message: 'The size is not supported' }, 'input'],
    // A code that says what it is wins over the words.
    [400, { error: { code: 'invalid_size', message: 'flagged as an unsupported size' } }, 'input'],
  ] as const)('%i %j → %s', (status, body, kind) => {
    expect(reply(status, body).kind).toBe(kind)
  })

  it('says what happened and what to do, and never shows an HTML page as the message', () => {
    const html = reply(502, '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>')
    expect(html.message).toMatch(/answered with a web page instead of the API \(HTTP 502\)/)
    expect(html.message).not.toContain('<')
    expect(reply(402, { error: { message: 'Insufficient balance' } }).message).toMatch(/P said: Insufficient balance\. Top up/)
  })

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 10, 23, 12)
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(reply(429, {}, { 'retry-after': '3' }).retryAfterMs).toBe(3000)
  })
})
