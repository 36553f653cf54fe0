import { describe, expect, it } from 'vitest'
import { PROVIDER_IDS, type Fault, type ProviderId, type ProviderServer } from '../../provider-server'
import { until } from '../../helpers/wait'
import { download, errorJson, fromDataUri, getJson, okJson, postJson, providerServer, strictBase64, wholeImage } from './helpers'

const GEN = '/images/generations'

/** One request each provider accepts (ToAPIs: a submission). */
const GOOD: Record<ProviderId, Record<string, unknown>> = {
  openai: { model: 'gpt-image-2', prompt: 'fault test', size: '1024x1024' },
  gettoken: { model: 'gpt-image-2', prompt: 'fault test', size: '1024x1024' },
  tokenhub: { model: 'openai/gpt-image-2', prompt: 'fault test' },
  tokensmart: { model: 'gpt-image-2', prompt: 'fault test', size: '1024x1024' },
  toapis: { model: 'gpt-image-2', prompt: 'fault test', size: '1:1', resolution: '1K' },
  getimg: { model: 'gpt-image-2', prompt: 'fault test', aspect_ratio: '1:1', resolution: '1K', output_format: 'png' },
}

const call = (server: ProviderServer, provider: ProviderId, options: { signal?: AbortSignal } = {}) =>
  postJson(server, provider, GEN, GOOD[provider], options)

/** The bytes of the first image of a good reply, wherever the provider puts them (polling ToAPIs to the end). */
async function firstImage(server: ProviderServer, provider: ProviderId, reply: Record<string, unknown>): Promise<{ b64?: string; bytes: Buffer }> {
  if (provider === 'toapis') {
    let task = reply as { id: string; status: string; result?: { data: Array<{ url: string }> } }
    while (task.status !== 'completed') task = await okJson(await getJson(server, 'toapis', `${GEN}/${task.id}`))
    return { bytes: (await download(task.result!.data[0]!.url)).bytes }
  }
  const item = (reply as { data: Array<{ b64_json?: string; url?: string }> }).data[0]!
  if (item.b64_json !== undefined) return { b64: item.b64_json, bytes: Buffer.from(item.b64_json, 'base64') }
  if (item.url!.startsWith('data:')) {
    const b64 = item.url!.slice(item.url!.indexOf(',') + 1)
    return { b64, bytes: Buffer.from(b64, 'base64') }
  }
  return { bytes: (await download(item.url!)).bytes }
}

/** What each provider's error fault looks like: status and the part of the body a client reads. */
const STATUS_FAULTS: Array<[ProviderId, Fault, number, unknown]> = [
  ['openai', { status: 403 }, 403, { error: { type: 'invalid_request_error', param: null } }],
  ['openai', { status: 404 }, 404, { error: { code: 'model_not_found' } }],
  ['openai', { status: 429 }, 429, { error: { code: 'rate_limit_exceeded', type: 'requests' } }],
  ['openai', { status: 500 }, 500, { error: { type: 'server_error', code: null } }],
  ['gettoken', { status: 402 }, 402, { error: { code: 'insufficient_balance' } }],
  ['gettoken', { status: 502 }, 502, { error: { type: 'server_error' } }],
  ['tokenhub', { status: 403 }, 403, { error: { code: 'model_access_denied' } }],
  ['tokenhub', { status: 503 }, 503, { error: { type: 'server_error' } }],
  ['tokensmart', { status: 402 }, 402, { error: { code: 'insufficient_balance' } }],
  ['tokensmart', { status: 403 }, 403, { error: { code: 'MODEL_ACCESS_DENIED' } }],
  ['tokensmart', { status: 404 }, 404, { error: { code: 'model_not_found' } }],
  ['tokensmart', { status: 429 }, 429, { error: { code: 'rate_limit_exceeded' } }],
  ['tokensmart', { status: 502 }, 502, { error: { code: 'upstream_error' } }],
  ['toapis', { status: 402 }, 402, { error: { code: 402, type: 'insufficient_quota' } }],
  ['toapis', { status: 404 }, 404, { error: { code: 404, type: 'not_found_error' } }],
  ['toapis', { status: 500 }, 500, { error: { code: 500, type: 'internal_error' } }],
  ['getimg', { status: 402 }, 402, { error: { message: expect.stringContaining('balance') } }],
  ['getimg', { status: 503 }, 503, { error: { message: expect.any(String) } }],
]

const REFUSALS: Array<[ProviderId, Fault, number, unknown]> = [
  ['openai', 'content-policy', 400, { error: { code: 'moderation_blocked', type: 'image_generation_user_error' } }],
  ['gettoken', 'content-policy', 400, { error: { code: 'moderation_blocked' } }],
  ['tokenhub', 'content-policy', 400, { error: { code: 'moderation_blocked' } }],
  ['tokensmart', 'content-policy', 400, { error: { code: 'content_policy_violation' } }],
  ['toapis', 'content-policy', 422, { error: { code: 422, type: 'content_policy_violation' } }],
  ['getimg', 'content-policy', 400, { error: { message: expect.stringContaining('content') } }],
  ['openai', 'insufficient-quota', 429, { error: { code: 'insufficient_quota', type: 'insufficient_quota' } }],
  ['tokensmart', 'no-image-generated', 400, { error: { code: 'no_image_generated' } }],
]

describe('error faults', () => {
  it.each([...STATUS_FAULTS, ...REFUSALS])('%s %j → %i in its own envelope, unbilled, then back to normal', async (provider, fault, status, body) => {
    const server = await providerServer()
    server.inject(provider, fault)
    expect(await errorJson(await call(server, provider))).toMatchObject({ status, body: body as object })
    expect(server.requests[0]).toMatchObject({ accepted: true, fault })
    expect(server.billed(provider).charges).toBe(0)
    expect(server.pendingFaults()).toEqual([])
    expect((await call(server, provider)).status).toBe(200)
  })

  it('sends Retry-After with a 429 when asked', async () => {
    const server = await providerServer()
    server.inject('tokenhub', { status: 429, retryAfterSeconds: 7 })
    const response = await call(server, 'tokenhub')
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('7')
  })

  it('refuses to inject an error a provider does not document, naming what it can do', async () => {
    const server = await providerServer()
    expect(() => server.inject('openai', { status: 402 })).toThrow(/openai documents no \{status: 402\}.*'insufficient-quota'/)
    expect(() => server.inject('tokensmart', 'insufficient-quota')).toThrow(/tokensmart documents no/)
    expect(() => server.inject('openai', 'no-image-generated')).toThrow()
    expect(() => server.inject('getimg', 'invalid-base64')).toThrow(/getimg cannot produce 'invalid-base64'/)
    expect(() => server.inject('tokenhub', 'task-failed')).toThrow()
    expect(() => server.inject('openai', { status: 500 }, { on: 'poll' })).toThrow(/no 'poll' route/)
    expect(() => server.inject('toapis', 'empty-data', { on: 'poll' })).toThrow(/cannot happen on poll/)
  })
})

describe('transport faults', () => {
  it('reset: the socket dies mid-reply, but the provider already made (and billed) the image', async () => {
    const server = await providerServer()
    server.inject('openai', 'reset')
    await expect(call(server, 'openai').then((r) => r.text())).rejects.toThrow()
    expect(server.requests[0]).toMatchObject({ status: 200, reset: true, fault: 'reset' })
    expect(server.billed('openai').images).toBe(1)
  })

  it('reset on a ToAPIs submit: the task exists and is billed although the client never saw its id', async () => {
    const server = await providerServer()
    server.inject('toapis', 'reset')
    await expect(call(server, 'toapis').then((r) => r.text())).rejects.toThrow()
    expect(server.tasks).toMatchObject([{ status: 'completed', billed: true, polls: 0 }])
    expect(server.submissionsFor('toapis', 'fault test')).toBe(1)
  })

  it('slow: a client that gives up still pays for the image it never received', async () => {
    const server = await providerServer()
    server.inject('getimg', 'slow', { delayMs: 1000 })
    await expect(call(server, 'getimg', { signal: AbortSignal.timeout(100) })).rejects.toThrow()
    await until(() => server.billed('getimg').charges > 0, 'getimg billed the abandoned call')
    expect(server.billed('getimg')).toMatchObject({ charges: 1, usd: 0.06 })
    expect(server.requests[0]).toMatchObject({ accepted: true, fault: 'slow', status: null })
  })

  it('slow: a patient client gets the normal reply', async () => {
    const server = await providerServer()
    server.inject('tokensmart', 'slow', { delayMs: 150 })
    const reply = await okJson<{ data: Array<{ b64_json: string }> }>(await call(server, 'tokensmart'))
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toMatchObject({ width: 1024, height: 1024 })
  })

  it.each(PROVIDER_IDS)('html: %s answers a 502 HTML page from a proxy, unbilled', async (provider) => {
    const server = await providerServer()
    server.inject(provider, 'html')
    const response = await call(server, provider)
    expect(response.status).toBe(502)
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>')
    expect(server.billed(provider).charges).toBe(0)
  })

  it('times: N hits the next N good requests; refused requests do not use a fault up', async () => {
    const server = await providerServer()
    server.inject('gettoken', { status: 503 }, { times: 2 })
    expect((await postJson(server, 'gettoken', GEN, GOOD.gettoken, { key: 'wrong' })).status).toBe(401)
    expect((await call(server, 'gettoken')).status).toBe(503)
    expect(server.pendingFaults('gettoken')).toEqual([{ provider: 'gettoken', fault: { status: 503 }, remaining: 1 }])
    expect((await call(server, 'gettoken')).status).toBe(503)
    expect((await call(server, 'gettoken')).status).toBe(200)
  })

  it('on: poll and on: file aim a fault at ToAPIs polls or at an image download', async () => {
    const server = await providerServer()
    server.inject('toapis', { status: 500 }, { on: 'poll' })
    server.inject('toapis', { status: 404 }, { on: 'file' })
    const task = await okJson<{ id: string }>(await call(server, 'toapis'))
    expect((await getJson(server, 'toapis', `${GEN}/${task.id}`)).status).toBe(500)
    expect(server.tasks[0]).toMatchObject({ polls: 0 })
    let done = await okJson<{ status: string; result?: { data: Array<{ url: string }> } }>(await getJson(server, 'toapis', `${GEN}/${task.id}`))
    while (done.status !== 'completed') done = await okJson(await getJson(server, 'toapis', `${GEN}/${task.id}`))
    const url = done.result!.data[0]!.url
    expect((await download(url)).status).toBe(404)
    expect((await download(url)).status).toBe(200)
  })
})

describe('payload faults', () => {
  it.each(['openai', 'tokenhub', 'getimg', 'toapis'] as const)('truncated-base64: %s hands out half an image', async (provider) => {
    const server = await providerServer()
    server.inject(provider, 'truncated-base64')
    const { b64, bytes } = await firstImage(server, provider, await okJson(await call(server, provider)))
    if (b64 !== undefined) expect(() => strictBase64(b64)).not.toThrow()
    await expect(wholeImage(bytes)).rejects.toThrow()
    expect(server.billed(provider).images).toBe(1)
  })

  it.each(['openai', 'gettoken', 'tokenhub', 'tokensmart'] as const)('invalid-base64: %s puts non-alphabet characters in the base64', async (provider) => {
    const server = await providerServer({ settings: { tokenhub: { delivery: 'file-url' } } })
    server.inject(provider, 'invalid-base64')
    const { b64 } = await firstImage(server, provider, await okJson(await call(server, provider)))
    expect(b64).toBeDefined()
    expect(() => strictBase64(b64!)).toThrow('not strict base64')
  })

  it.each(['openai', 'tokensmart', 'getimg', 'toapis'] as const)('not-an-image: %s hands out bytes that are no image', async (provider) => {
    const server = await providerServer()
    server.inject(provider, 'not-an-image')
    const { b64, bytes } = await firstImage(server, provider, await okJson(await call(server, provider)))
    if (b64 !== undefined) expect(() => strictBase64(b64)).not.toThrow()
    await expect(wholeImage(bytes)).rejects.toThrow()
  })

  it('not-an-image through a TokenHub data URI', async () => {
    const server = await providerServer()
    server.inject('tokenhub', 'not-an-image')
    const reply = await okJson<{ data: Array<{ url: string }> }>(await call(server, 'tokenhub'))
    await expect(wholeImage(fromDataUri(reply.data[0]!.url).bytes)).rejects.toThrow()
  })

  it.each(['openai', 'gettoken', 'tokenhub', 'tokensmart'] as const)('empty-data: %s answers 200 with data: [] and bills nothing', async (provider) => {
    const server = await providerServer()
    server.inject(provider, 'empty-data')
    const reply = await okJson<{ data: unknown[] }>(await call(server, provider))
    expect(reply.data).toEqual([])
    expect(server.billed(provider).charges).toBe(0)
  })

  it('empty-data: getimg reports a zero cost', async () => {
    const server = await providerServer()
    server.inject('getimg', 'empty-data')
    const reply = await okJson<{ data: unknown[]; usage: { total_cost: number; quantity: number } }>(await call(server, 'getimg'))
    expect(reply).toMatchObject({ data: [], usage: { total_cost: 0, quantity: 0 } })
  })

  it('empty-data: a ToAPIs task completes with no images and is not billed', async () => {
    const server = await providerServer()
    server.inject('toapis', 'empty-data')
    const { id } = await okJson<{ id: string }>(await call(server, 'toapis'))
    await getJson(server, 'toapis', `${GEN}/${id}`)
    const done = await okJson<{ status: string; result: { data: unknown[] } }>(await getJson(server, 'toapis', `${GEN}/${id}`))
    expect(done).toMatchObject({ status: 'completed', result: { type: 'image', data: [] } })
    expect(server.billed('toapis').charges).toBe(0)
  })
})

describe('ToAPIs task faults', () => {
  it('task-failed: the task ends failed with generation_failed and is not billed', async () => {
    const server = await providerServer()
    server.inject('toapis', 'task-failed')
    const { id } = await okJson<{ id: string }>(await call(server, 'toapis'))
    const statuses: string[] = []
    let task: { status: string; error?: { code: string; message: string } } = { status: 'queued' }
    while (task.status !== 'failed' && statuses.length < 10) {
      task = await okJson(await getJson(server, 'toapis', `${GEN}/${id}`))
      statuses.push(task.status)
    }
    expect(statuses).toEqual(['in_progress', 'failed'])
    expect(task.error).toEqual({ code: 'generation_failed', message: expect.any(String) })
    expect(server.billed('toapis').charges).toBe(0)
  })

  it("task-failed with failedTaskBilling 'billed': the failed task is charged at its tier price, once, and says no refund", async () => {
    const server = await providerServer()
    server.configure({ toapis: { failedTaskBilling: 'billed' } })
    server.inject('toapis', 'task-failed')
    const { id } = await okJson<{ id: string }>(await call(server, 'toapis'))
    let task: { status: string; error?: { message: string } } = { status: 'queued' }
    for (let i = 0; i < 4; i++) task = await okJson(await getJson(server, 'toapis', `${GEN}/${id}`))
    expect(task.status).toBe('failed')
    expect(task.error?.message).not.toMatch(/no charge/i)
    expect(server.charges.toapis).toEqual([expect.objectContaining({ taskId: id, images: 1, usd: 0.015 })])
    expect(server.tasks).toEqual([expect.objectContaining({ id, status: 'failed', billed: true })])
  })

  it('task-stuck: the task stays in_progress for K more polls, then completes', async () => {
    const server = await providerServer()
    server.inject('toapis', 'task-stuck', { polls: 4 })
    const { id } = await okJson<{ id: string }>(await call(server, 'toapis'))
    const statuses: string[] = []
    for (let i = 0; i < 6; i++) statuses.push((await okJson<{ status: string }>(await getJson(server, 'toapis', `${GEN}/${id}`))).status)
    expect(statuses).toEqual(['in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'completed'])
    expect(server.billed('toapis').charges).toBe(1)
  })
})
