import { describe, expect, it } from 'vitest'
import { download, errorJson, fromDataUri, okJson, postJson, providerServer, strictBase64, wholeImage } from './helpers'

const GEN = '/images/generations'
const body = { model: 'gpt-image-2', prompt: 'a cute orange cat wearing a wizard hat', n: 1, size: '1024x1024', quality: 'auto' }
type B64Reply = { created: number; data: Array<{ b64_json: string }> }

describe('Tokensmart', () => {
  it('answers b64_json with Bearer or x-api-key', async () => {
    const server = await providerServer({ settings: { tokensmart: { unitPriceUsd: 0.04 } } })
    expect(server.baseUrl('tokensmart')).toBe(`${server.origin}/tokensmart/v1`)
    expect(server.validKey('tokensmart')).toMatch(/^pk_live_/)
    for (const header of ['bearer', 'x-api-key'] as const) {
      const reply = await okJson<B64Reply>(await postJson(server, 'tokensmart', GEN, body, { header }))
      expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'png', width: 1024, height: 1024 })
    }
    expect(server.requests.map((r) => r.auth)).toEqual([
      { scheme: 'bearer', matched: true, keyIndex: 0 },
      { scheme: 'x-api-key', matched: true, keyIndex: 0 },
    ])
    expect(server.requests[1]!.headers['x-api-key']).toBe('[REDACTED]')
    expect(server.billed('tokensmart')).toMatchObject({ charges: 2, images: 2, usd: 0.08 })
  })

  it('refuses a wrong key with 401 invalid_api_key', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'tokensmart', GEN, body, { key: 'pk_live_wrong', header: 'x-api-key' }))).toEqual({
      status: 401,
      body: { error: { code: 'invalid_api_key', message: 'Invalid or missing API key.', type: 'authentication_error' } },
    })
  })

  it('still answers b64_json when asked for url', async () => {
    const server = await providerServer()
    const reply = await okJson<B64Reply>(await postJson(server, 'tokensmart', GEN, { ...body, response_format: 'url' }))
    expect(reply.data[0]).toHaveProperty('b64_json')
    expect(reply.data[0]).not.toHaveProperty('url')
  })

  it.each([['big'], ['1024 x 1024'], ['1024X1024'], [1024], ['12345678x12345678'], [{ w: 1 }]])('refuses size %j with 400 invalid_request', async (size) => {
    const server = await providerServer()
    const { status, body: reply } = await errorJson(await postJson(server, 'tokensmart', GEN, { ...body, size }))
    expect(status).toBe(400)
    expect(reply).toMatchObject({ error: { code: 'invalid_request' } })
  })

  it('refuses n > 1 for gpt-image-2 and an unknown model with 404 model_not_found', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'tokensmart', GEN, { ...body, n: 2 }))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } })
    expect(await errorJson(await postJson(server, 'tokensmart', GEN, { ...body, model: 'openai/gpt-image-2' }))).toMatchObject({
      status: 404,
      body: { error: { code: 'model_not_found' } },
    })
  })

  it('refuses a prompt over 32,000 characters', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'tokensmart', GEN, { ...body, prompt: 'x'.repeat(32_001) }))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    })
    expect((await postJson(server, 'tokensmart', GEN, { ...body, prompt: 'x'.repeat(32_000) })).status).toBe(200)
  })

  it('answers 502 upstream_error for a well-formed size the model cannot make, and does not bill it', async () => {
    const server = await providerServer({ settings: { tokensmart: { unitPriceUsd: 0.04 } } })
    expect(await errorJson(await postJson(server, 'tokensmart', GEN, { ...body, size: '4096x4096' }))).toMatchObject({
      status: 502,
      body: { error: { code: 'upstream_error' } },
    })
    expect(server.billed('tokensmart').charges).toBe(0)
  })

  it('makes the verified small and odd sizes', async () => {
    const server = await providerServer()
    for (const [size, w, h] of [['256x256', 256, 256], ['1792x1024', 1792, 1024], ['1280x1280', 1280, 1280]] as const) {
      const reply = await okJson<B64Reply>(await postJson(server, 'tokensmart', GEN, { ...body, size }))
      expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toMatchObject({ width: w, height: h })
    }
  })

  it('matches aspect_ratio when it is set', async () => {
    const server = await providerServer()
    const reply = await okJson<B64Reply>(await postJson(server, 'tokensmart', GEN, { ...body, size: 'auto', aspect_ratio: '16:9', output_format: 'jpeg' }))
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'jpeg', width: 1024, height: 576 })
  })

  it('can answer data[0].url like the blog post: a data URI or a link', async () => {
    const server = await providerServer({ settings: { tokensmart: { delivery: 'data-uri' } } })
    const asData = await okJson<{ data: Array<{ url: string }> }>(await postJson(server, 'tokensmart', GEN, body))
    expect(fromDataUri(asData.data[0]!.url).mime).toBe('image/png')
    server.configure({ tokensmart: { delivery: 'file-url' } })
    const asLink = await okJson<{ data: Array<{ url: string }> }>(await postJson(server, 'tokensmart', GEN, body))
    expect(await wholeImage((await download(asLink.data[0]!.url)).bytes)).toEqual({ format: 'png', width: 1024, height: 1024 })
  })
})
