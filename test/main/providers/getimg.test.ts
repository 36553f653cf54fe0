/**
 * The getimg v2 dialect against a small local server that answers as getimg documents: one
 * synchronous call, signed image links on a separate host, and the exact cost in `usage`.
 */
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { dialectCall } from '../../helpers/dialect-call'
import { FakeClock } from '../../helpers/fake-clock'
import { providerFailure } from '../../helpers/provider-failure'
import { serve, type Answer, type RecordingServer as TestServer } from '../../helpers/recording-server'
import type { DialectCall } from '../../../src/main/core/providers/dialect'
import { createGetimgAdapter } from '../../../src/main/core/providers/getimg'

let jpeg: Buffer
let png: Buffer
beforeAll(async () => {
  const create = { width: 64, height: 36, channels: 3, background: { r: 20, g: 90, b: 160 } } as const
  jpeg = await sharp({ create }).jpeg().toBuffer()
  png = await sharp({ create }).png().toBuffer()
})

/** Signed links live on their own host; whatever reaches it is recorded. */
async function imageHost(): Promise<TestServer> {
  return serve((req) => {
    if (req.path.startsWith('/signed/a.jpeg')) return { bytes: jpeg, headers: { 'content-type': 'image/jpeg' } }
    if (req.path.startsWith('/signed/b.png')) return { bytes: png, headers: { 'content-type': 'image/png' } }
    return { status: 404, json: {} }
  })
}

/** getimg's documented success reply, with the links pointing at `imagesUrl`. */
function completed(imagesUrl: string, over: { usage?: unknown; mime?: string; file?: string } = {}): Answer {
  return {
    json: {
      id: 'req-7f3a',
      status: 'completed',
      model: 'gpt-image-2',
      data: [
        {
          url: `${imagesUrl}/signed/${over.file ?? 'a.jpeg'}?token=xyz`,
          width: 64,
          height: 36,
          mime_type: over.mime ?? 'image/jpeg',
          deletes_at: '2026-11-24T16:00:00Z',
        },
      ],
      usage: 'usage' in over ? over.usage : { total_cost: 0.12, billable_unit: 'image', unit_price: 0.12, quantity: 1 },
    },
  }
}

async function getimgServer(answer: Answer): Promise<TestServer> {
  return serve((req) =>
    req.method === 'POST' && req.path === '/v2/images/generations' ? answer : { status: 404, json: { message: 'Not found' } },
  )
}

/** A getimg call pointed at the test server, as the queue would make it. */
function makeCall(base: string, over: { params?: Partial<DialectCall['params']>; size?: DialectCall['size'] } = {}): DialectCall {
  return dialectCall('getimg', `${base}/v2`, {
    secret: 'sk_getimg_secret',
    clock: new FakeClock(),
    size: over.size ?? { aspect: '16:9', resolution: '2K' },
    params: { prompt: 'lifestyle scene, a ceramic mug on oak', format: 'jpeg', ...over.params },
  })
}

const failure = providerFailure

// --- tests -------------------------------------------------------------------------------------

describe('getimg v2 adapter', () => {
  it('sends the documented fields, downloads the signed image without the key, and reports the charged cost', async () => {
    const images = await imageHost()
    const api = await getimgServer(completed(images.url))
    const call = makeCall(api.url)

    const result = await createGetimgAdapter().generate(call)

    expect(result.chargedCost).toBe(0.12)
    expect(result.images).toHaveLength(1)
    expect(Buffer.from(result.images[0]!.bytes).equals(jpeg)).toBe(true)
    expect(result.images[0]!.expectedFormat).toBe('jpeg')

    expect(api.seen).toHaveLength(1)
    expect(api.seen[0]!.headers.authorization).toBe('Bearer sk_getimg_secret')
    expect(api.seen[0]!.headers['x-api-key']).toBeUndefined()
    // Exactly these names, no `n`, `size` or `images` when there are no references.
    expect(api.seen[0]!.body).toEqual({
      model: 'gpt-image-2',
      prompt: 'lifestyle scene, a ceramic mug on oak',
      aspect_ratio: '16:9',
      resolution: '2K',
      output_format: 'jpeg',
    })

    expect(images.seen).toHaveLength(1)
    expect(images.seen[0]!.path).toBe('/signed/a.jpeg?token=xyz')
    expect(images.seen[0]!.headers.authorization).toBeUndefined()
    expect(images.seen[0]!.headers['x-api-key']).toBeUndefined()
  })

  it('sends reference images as {url, role: "reference_image"}', async () => {
    const images = await imageHost()
    const api = await getimgServer(completed(images.url))
    const refs = ['https://cdn.example.com/mug.png', 'https://cdn.example.com/oak.jpg']
    await createGetimgAdapter().generate(makeCall(api.url, { params: { refs: refs.map((url) => ({ kind: 'link', url })), format: 'png' }, size: { aspect: '1:1', resolution: '1K' } }))
    expect(api.seen[0]!.body).toEqual({
      model: 'gpt-image-2',
      prompt: 'lifestyle scene, a ceramic mug on oak',
      aspect_ratio: '1:1',
      resolution: '1K',
      output_format: 'png',
      images: [
        { url: 'https://cdn.example.com/mug.png', role: 'reference_image' },
        { url: 'https://cdn.example.com/oak.jpg', role: 'reference_image' },
      ],
    })
  })

  it('takes the expected format from mime_type, and none when the type is not one it stores', async () => {
    const images = await imageHost()
    const asPng = await getimgServer(completed(images.url, { file: 'b.png', mime: 'image/png' }))
    const pngResult = await createGetimgAdapter().generate(makeCall(asPng.url, { params: { format: 'png' } }))
    expect(pngResult.images[0]!.expectedFormat).toBe('png')

    const odd = await getimgServer(completed(images.url, { mime: 'application/octet-stream' }))
    const oddResult = await createGetimgAdapter().generate(makeCall(odd.url))
    expect(oddResult.images[0]!.expectedFormat).toBeUndefined()
  })

  it.each([
    ['missing usage', undefined],
    ['no total_cost', { billable_unit: 'image' }],
    ['a negative cost', { total_cost: -1 }],
    ['a cost as text', { total_cost: '0.12' }],
  ])('falls back to the table price (chargedCost null) on %s', async (_what, usage) => {
    const images = await imageHost()
    const api = await getimgServer(completed(images.url, { usage }))
    const result = await createGetimgAdapter().generate(makeCall(api.url))
    expect(result.chargedCost).toBeNull()
  })

  it('records a free call (total_cost 0) as costing 0', async () => {
    const images = await imageHost()
    const api = await getimgServer(completed(images.url, { usage: { total_cost: 0 } }))
    expect((await createGetimgAdapter().generate(makeCall(api.url))).chargedCost).toBe(0)
  })

  it.each([
    [402, 'billing', 'Insufficient balance'],
    [401, 'auth', 'Invalid API key'],
    [400, 'input', 'Unsupported aspect ratio'],
  ] as const)('maps HTTP %i to %s and passes the message on', async (status, kind, message) => {
    const api = await getimgServer({ status, json: { message } })
    const err = await failure(createGetimgAdapter().generate(makeCall(api.url)))
    expect(err.kind).toBe(kind)
    expect(err.message).toContain(message)
  })

  it('treats a reply without images as a provider failure', async () => {
    const api = await getimgServer({ json: { id: 'req-1', status: 'failed', data: [], error: { message: 'Generation failed' } } })
    const err = await failure(createGetimgAdapter().generate(makeCall(api.url)))
    expect(err.kind).toBe('provider_down')
    expect(err.message).toContain('Generation failed')
  })

  it('refuses pixel sizes and local file references before sending anything', async () => {
    const api = await getimgServer({ status: 500, json: {} })
    const pixels = await failure(createGetimgAdapter().generate(makeCall(api.url, { size: { width: 1024, height: 1024 } })))
    expect(pixels.kind).toBe('input')
    const local = await failure(createGetimgAdapter().generate(makeCall(api.url, { params: { refs: [{ kind: 'file', path: 'C:\\shots\\mug.png' }] } })))
    expect(local.kind).toBe('input')
    expect(local.message).toMatch(/needs reference images as public URLs/)
    expect(api.seen).toHaveLength(0)
  })
})
