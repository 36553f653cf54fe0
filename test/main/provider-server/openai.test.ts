import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { errorJson, file, jpegOf, okJson, pngOf, postForm, postJson, providerServer, strictBase64, wholeImage } from './helpers'

interface GptImageReply {
  created: number
  size: string
  output_format: string
  data: Array<{ b64_json: string; revised_prompt?: string }>
  usage: { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_details: { image_tokens: number; text_tokens: number } }
}

const GEN = '/images/generations'
const EDITS = '/images/edits'
const base = { model: 'gpt-image-2', prompt: 'a white mug on a white desk' }

describe('OpenAI generations', () => {
  it('answers a real image of the asked size in b64_json, with token usage', async () => {
    const server = await providerServer()
    expect(server.baseUrl('openai')).toBe(`${server.origin}/openai/v1`)
    const reply = await okJson<GptImageReply>(await postJson(server, 'openai', GEN, { ...base, size: '1536x1024', output_format: 'webp', n: 2 }))
    expect(reply.data).toHaveLength(2)
    expect(reply.size).toBe('1536x1024')
    for (const item of reply.data) {
      expect(await wholeImage(strictBase64(item.b64_json))).toEqual({ format: 'webp', width: 1536, height: 1024 })
    }
    expect(reply.usage.total_tokens).toBe(reply.usage.input_tokens + reply.usage.output_tokens)
    expect(server.billed('openai')).toMatchObject({ charges: 1, images: 2, usd: 0, tokens: reply.usage.total_tokens })
    expect(server.charges.openai[0]?.usd).toBeNull()
  })

  it('renders size auto as 1024x1024 png', async () => {
    const server = await providerServer()
    const reply = await okJson<GptImageReply>(await postJson(server, 'openai', GEN, { ...base, size: 'auto' }))
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'png', width: 1024, height: 1024 })
  })

  it('refuses a wrong key with invalid_api_key and a missing key with code null', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'openai', GEN, base, { key: 'sk-proj-wrong' }))).toEqual({
      status: 401,
      body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    })
    const missing = await errorJson(await postJson(server, 'openai', GEN, base, { key: null }))
    expect(missing).toMatchObject({ status: 401, body: { error: { type: 'invalid_request_error', code: null } } })
    // OpenAI reads only Authorization: the right key in x-api-key is still no key.
    const viaApiKey = await postJson(server, 'openai', GEN, base, { header: 'x-api-key' })
    expect(viaApiKey.status).toBe(401)
    expect(server.requests.map((r) => r.auth)).toEqual([
      { scheme: 'bearer', matched: false },
      { scheme: 'none', matched: false },
      { scheme: 'x-api-key', matched: false },
    ])
    expect(server.billed('openai').charges).toBe(0)
  })

  it('refuses response_format as unknown_parameter', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'openai', GEN, { ...base, response_format: 'b64_json' }))).toEqual({
      status: 400,
      body: { error: { message: "Unknown parameter: 'response_format'.", type: 'invalid_request_error', param: 'response_format', code: 'unknown_parameter' } },
    })
  })

  it('refuses a request without model, or with a reseller model id', async () => {
    const server = await providerServer()
    const missing = await errorJson(await postJson(server, 'openai', GEN, { prompt: 'x' }))
    expect(missing).toMatchObject({ status: 400, body: { error: { param: 'model', code: 'missing_required_parameter' } } })
    const prefixed = await errorJson(await postJson(server, 'openai', GEN, { ...base, model: 'openai/gpt-image-2' }))
    expect(prefixed).toMatchObject({ status: 400, body: { error: { param: 'model', code: 'invalid_value' } } })
  })

  it.each([
    ['1000x1000', /multiples of 16/],
    ['4096x2304', /at most 3840/],
    ['3840x1024', /at most 3:1/],
    ['512x512', /between 655360 and 8294400/],
    ['1024X1024', /'auto' or WIDTHxHEIGHT/],
    ['1024 x 1024', /'auto' or WIDTHxHEIGHT/],
  ])('refuses size %s', async (size, why) => {
    const server = await providerServer()
    const { status, body } = await errorJson(await postJson(server, 'openai', GEN, { ...base, size }))
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { param: 'size', code: 'invalid_value', message: expect.stringMatching(why) } })
  })

  it('accepts the edges of the size rules', async () => {
    const server = await providerServer()
    for (const size of ['1024x640', '3840x2160', '2880x960']) {
      expect((await postJson(server, 'openai', GEN, { ...base, size, quality: 'low' })).status, size).toBe(200)
    }
  })

  it('refuses a transparent background with jpeg, and renders one with alpha in png', async () => {
    const server = await providerServer()
    const refused = await errorJson(await postJson(server, 'openai', GEN, { ...base, background: 'transparent', output_format: 'jpeg' }))
    expect(refused).toMatchObject({ status: 400, body: { error: { param: 'background' } } })
    const reply = await okJson<GptImageReply>(await postJson(server, 'openai', GEN, { ...base, background: 'transparent', size: '1024x1024' }))
    const png = strictBase64(reply.data[0]!.b64_json)
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', hasAlpha: true })
  })

  it('refuses a form-encoded or malformed body before generating anything', async () => {
    const server = await providerServer()
    const form = await fetch(`${server.baseUrl('openai')}${GEN}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.validKey('openai')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'model=gpt-image-2&prompt=x',
    })
    expect(await errorJson(form)).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } })
    const broken = await fetch(`${server.baseUrl('openai')}${GEN}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.validKey('openai')}`, 'content-type': 'application/json' },
      body: '{"model": "gpt-image-2",',
    })
    expect(broken.status).toBe(400)
    expect(server.requests.every((r) => !r.accepted)).toBe(true)
    expect(server.billed('openai').charges).toBe(0)
  })
})

describe('OpenAI edits', () => {
  it('takes image[] files and a same-size PNG mask, and answers base64', async () => {
    const server = await providerServer()
    const form = new FormData()
    form.append('model', 'gpt-image-2')
    form.append('prompt', 'put the mug on a marble table')
    form.append('image[]', file(await pngOf(640, 480), 'mug.png', 'image/png'))
    form.append('image[]', file(await jpegOf(300, 300), 'table.jpg', 'image/jpeg'))
    form.append('mask', file(await pngOf(640, 480, true), 'mask.png', 'image/png'))
    form.append('input_fidelity', 'high')
    form.append('size', '1024x1536')
    const reply = await okJson<GptImageReply>(await postForm(server, 'openai', EDITS, form))
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'png', width: 1024, height: 1536 })
    expect(reply.usage.input_tokens_details.image_tokens).toBeGreaterThan(0)
    const logged = server.requests[0]!
    expect(logged.body).toMatchObject({
      kind: 'multipart',
      fields: { model: ['gpt-image-2'], input_fidelity: ['high'] },
      files: [
        { field: 'image[]', filename: 'mug.png', type: 'image/png' },
        { field: 'image[]', filename: 'table.jpg', type: 'image/jpeg' },
        { field: 'mask', filename: 'mask.png', type: 'image/png' },
      ],
    })
  })

  it('refuses a file sent without an image content type', async () => {
    const server = await providerServer()
    const form = new FormData()
    form.append('model', 'gpt-image-2')
    form.append('prompt', 'x')
    form.append('image', file(await pngOf(64, 64), 'mug.png'))
    const { status, body } = await errorJson(await postForm(server, 'openai', EDITS, form))
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: { param: 'image', code: 'unsupported_file_mimetype', message: expect.stringContaining("'application/octet-stream'") } })
  })

  it('refuses a mask of another size than the first image', async () => {
    const server = await providerServer()
    const form = new FormData()
    form.append('model', 'gpt-image-2')
    form.append('prompt', 'x')
    form.append('image', file(await pngOf(64, 64), 'a.png', 'image/png'))
    form.append('mask', file(await pngOf(32, 32, true), 'm.png', 'image/png'))
    expect(await errorJson(await postForm(server, 'openai', EDITS, form))).toMatchObject({ status: 400, body: { error: { param: 'mask', code: 'invalid_value' } } })
  })

  it("takes the JSON form: images as image_url (data URL, a link on its own file host, an outside link) and a data-URL mask", async () => {
    const server = await providerServer({ settings: { tokenhub: { delivery: 'file-url' } } })
    // A link this server hosts: a TokenHub image delivered as a file URL.
    const hosted = await okJson<{ data: [{ url: string }] }>(await postJson(server, 'tokenhub', GEN, { model: 'gpt-image-2', prompt: 'x', size: '1024x1536' }))
    const png = await pngOf(1024, 1536)
    const mask = await pngOf(1024, 1536, true)
    const body = {
      ...base,
      images: [{ image_url: hosted.data[0].url }, { image_url: `data:image/png;base64,${png.toString('base64')}` }, { image_url: 'https://cdn.example.com/lamp.png' }],
      mask: { image_url: `data:image/png;base64,${mask.toString('base64')}` },
      input_fidelity: 'high',
      moderation: 'low',
      user: 'user-1234',
      size: '1024x1024',
    }
    const reply = await okJson<GptImageReply & { usage: { output_tokens_details: { image_tokens: number; text_tokens: number } } }>(await postJson(server, 'openai', EDITS, body))
    expect(await wholeImage(strictBase64(reply.data[0]!.b64_json))).toEqual({ format: 'png', width: 1024, height: 1024 })
    expect(reply.usage.input_tokens_details.image_tokens).toBe(3 * 272)
    expect(reply.usage.output_tokens_details).toEqual({ image_tokens: reply.usage.output_tokens, text_tokens: 0 })
    expect(server.billed('openai')).toMatchObject({ charges: 1, images: 1 })
  })

  it('refuses in the JSON form what the spec does not allow, naming the parameter', async () => {
    const server = await providerServer()
    const png = `data:image/png;base64,${(await pngOf(64, 64)).toString('base64')}`
    const refused = async (body: Record<string, unknown>) => (await errorJson(await postJson(server, 'openai', EDITS, { ...base, ...body }))).body
    // The multipart field name is not the JSON one.
    expect(await refused({ image: png })).toMatchObject({ error: { param: 'image', code: 'unknown_parameter' } })
    expect(await refused({ images: [] })).toMatchObject({ error: { param: 'images', code: 'invalid_value' } })
    expect(await refused({ images: [{ image_url: png, file_id: 'file-1' }] })).toMatchObject({ error: { param: 'images[0]' } })
    expect(await refused({ images: [{ url: png }] })).toMatchObject({ error: { param: 'images[0]', code: 'unknown_parameter' } })
    expect(await refused({ images: [{ file_id: 'file-abc123' }] })).toMatchObject({ error: { param: 'images[0]', message: expect.stringContaining('No such File') } })
    expect(await refused({ images: [{ image_url: 'data:image/png;base64,!!!!' }] })).toMatchObject({ error: { param: 'images[0]', code: 'invalid_image_url' } })
    expect(await refused({ images: [{ image_url: `${server.origin}/files/openai/missing.png` }] })).toMatchObject({ error: { param: 'images[0]', code: 'invalid_image_url' } })
    expect(await refused({ images: [{ image_url: png }], mask: { image_url: `data:image/png;base64,${(await pngOf(32, 32, true)).toString('base64')}` } })).toMatchObject({
      error: { param: 'mask', code: 'invalid_value' },
    })
    expect(await refused({ images: [{ image_url: png }], bogus: 1 })).toMatchObject({ error: { param: 'bogus', code: 'unknown_parameter' } })
    expect(server.billed('openai').charges).toBe(0)
  })

  it('refuses moderation in the multipart form, which has no such field', async () => {
    const server = await providerServer()
    const form = new FormData()
    form.append('model', 'gpt-image-2')
    form.append('prompt', 'x')
    form.append('moderation', 'low')
    form.append('image', file(await pngOf(64, 64), 'a.png', 'image/png'))
    expect(await errorJson(await postForm(server, 'openai', EDITS, form))).toMatchObject({ status: 400, body: { error: { param: 'moderation', code: 'unknown_parameter' } } })
  })
})
