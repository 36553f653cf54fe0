import { describe, expect, it } from 'vitest'
import { download, errorJson, file, fromDataUri, okJson, pngOf, postForm, postJson, providerServer, strictBase64, wholeImage } from './helpers'

const GEN = '/images/generations'
const EDITS = '/images/edits'

describe('GetToken', () => {
  const body = { model: 'gpt-image-2', prompt: 'A clean product photo on a white desk', size: '1024x1024', quality: 'auto', output_format: 'png' }

  it('answers the page example with data[].b64_json and bills the 1K estimate', async () => {
    const server = await providerServer()
    expect(server.baseUrl('gettoken')).toBe(`${server.origin}/gettoken/image/v1`)
    const reply = await okJson<{ created: number; data: Array<{ b64_json: string }> }>(await postJson(server, 'gettoken', GEN, body))
    expect(Object.keys(reply).sort()).toEqual(['created', 'data'])
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'png', width: 1024, height: 1024 })
    expect(server.billed('gettoken')).toMatchObject({ charges: 1, images: 1, usd: 0.804 })
  })

  it('bills by the longest side: 2048x2048 is 2K', async () => {
    const server = await providerServer()
    await okJson(await postJson(server, 'gettoken', GEN, { ...body, size: '2048x2048', output_format: 'jpeg' }))
    expect(server.billed('gettoken').usd).toBe(1.206)
  })

  it('refuses a wrong key with an OpenAI-style 401', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'gettoken', GEN, body, { key: 'sk-some-openai-key' }))).toEqual({
      status: 401,
      body: { error: { message: 'Invalid API key.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    })
  })

  it('refuses what OpenAI refuses (a size off the 16-pixel grid), and has no edits endpoint', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'gettoken', GEN, { ...body, size: '1000x1000' }))).toMatchObject({
      status: 400,
      body: { error: { param: 'size', code: 'invalid_value' } },
    })
    expect((await postJson(server, 'gettoken', EDITS, body)).status).toBe(404)
  })
})

describe('TokenHub', () => {
  const body = { model: 'openai/gpt-image-2', prompt: 'A serene Japanese garden at sunset' }

  it('answers data[].url as a PNG data URI by default, and accepts both model forms', async () => {
    const server = await providerServer()
    expect(server.baseUrl('tokenhub')).toBe(`${server.origin}/tokenhub/api/v1`)
    expect(server.validKey('tokenhub')).toMatch(/^th-test-/)
    for (const model of ['openai/gpt-image-2', 'gpt-image-2']) {
      const reply = await okJson<{ created: number; data: Array<{ url: string }> }>(await postJson(server, 'tokenhub', GEN, { ...body, model }))
      const { mime, bytes } = fromDataUri(reply.data[0]!.url)
      expect(mime).toBe('image/png')
      expect(await wholeImage(bytes)).toEqual({ format: 'png', width: 1024, height: 1024 })
    }
    expect(server.billed('tokenhub')).toMatchObject({ charges: 2, images: 2, usd: 0.25 })
  })

  it('bills n images at the tier of the longest side and honours `format`', async () => {
    const server = await providerServer()
    const reply = await okJson<{ data: Array<{ url: string }> }>(
      await postJson(server, 'tokenhub', GEN, { ...body, n: 3, size: '2048x1152', format: 'jpeg', quality: 'low' }),
    )
    expect(reply.data).toHaveLength(3)
    expect(await wholeImage(fromDataUri(reply.data[2]!.url).bytes)).toEqual({ format: 'jpeg', width: 2048, height: 1152 })
    expect(server.billed('tokenhub')).toMatchObject({ charges: 1, images: 3, usd: 0.75 })
  })

  it('can answer links on this server instead (the page says data[].url may be either)', async () => {
    const server = await providerServer({ settings: { tokenhub: { delivery: 'file-url' } } })
    const reply = await okJson<{ data: Array<{ url: string }> }>(await postJson(server, 'tokenhub', GEN, { ...body, size: '1536x1024' }))
    const url = reply.data[0]!.url
    expect(url).toMatch(new RegExp(`^${server.origin}/files/tokenhub/.+\\.png$`))
    const got = await download(url)
    expect(got).toMatchObject({ status: 200, type: 'image/png' })
    expect(await wholeImage(got.bytes)).toEqual({ format: 'png', width: 1536, height: 1024 })
    const fetched = server.requestsTo('tokenhub', 'file')[0]!
    expect(fetched.auth).toEqual({ scheme: 'none', matched: false })
  })

  it('refuses a wrong key with an OpenAI-style 401', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'tokenhub', GEN, body, { key: 'th-wrong' }))).toEqual({
      status: 401,
      body: { error: { message: 'Invalid API key.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    })
  })

  it('refuses sizes off its list, n above 10, output_format on generations, and other models', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'tokenhub', GEN, { ...body, size: '1280x1280' }))).toMatchObject({
      status: 400,
      body: { error: { param: 'size', code: 'invalid_value' } },
    })
    expect(await errorJson(await postJson(server, 'tokenhub', GEN, { ...body, n: 11 }))).toMatchObject({ status: 400, body: { error: { param: 'n' } } })
    expect(await errorJson(await postJson(server, 'tokenhub', GEN, { ...body, output_format: 'webp' }))).toMatchObject({
      status: 400,
      body: { error: { param: 'output_format', code: 'unknown_parameter' } },
    })
    expect(await errorJson(await postJson(server, 'tokenhub', GEN, { ...body, model: 'gpt-image-1' }))).toMatchObject({
      status: 404,
      body: { error: { param: 'model', code: 'model_not_found' } },
    })
    expect(server.billed('tokenhub').charges).toBe(0)
  })

  it('edits from multipart files, with output_format as the alias of format', async () => {
    const server = await providerServer()
    const form = new FormData()
    form.append('model', 'openai/gpt-image-2')
    form.append('prompt', 'compose these')
    form.append('image', file(await pngOf(100, 80), 'a.png', 'image/png'))
    form.append('image', file(await pngOf(90, 90), 'b.png', 'image/png'))
    form.append('output_format', 'webp')
    form.append('output_compression', '80')
    form.append('input_fidelity', 'high')
    const reply = await okJson<{ data: Array<{ url: string }> }>(await postForm(server, 'tokenhub', EDITS, form))
    const { mime, bytes } = fromDataUri(reply.data[0]!.url)
    expect(mime).toBe('image/webp')
    expect(await wholeImage(bytes)).toEqual({ format: 'webp', width: 1024, height: 1024 })
  })

  it('edits from JSON with a URL and a data URI, and refuses a local path', async () => {
    const server = await providerServer()
    const dataUri = `data:image/png;base64,${(await pngOf(20, 20)).toString('base64')}`
    const ok = await postJson(server, 'tokenhub', EDITS, { ...body, image: ['https://cdn.example.com/a.png', dataUri], mask: dataUri })
    expect(ok.status).toBe(200)
    const refused = await errorJson(await postJson(server, 'tokenhub', EDITS, { ...body, image: '/home/me/a.png' }))
    expect(refused).toMatchObject({ status: 400, body: { error: { param: 'image', code: 'invalid_value' } } })
    expect(server.billed('tokenhub')).toMatchObject({ charges: 1, images: 1 })
  })
})
