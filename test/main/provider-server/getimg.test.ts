import { describe, expect, it } from 'vitest'
import { download, errorJson, okJson, postJson, providerServer, wholeImage } from './helpers'

const GEN = '/images/generations'
const body = { model: 'gpt-image-2', prompt: '3D ballerina made of voxels', aspect_ratio: '1:1', resolution: '1K', output_format: 'jpeg' }

interface GetimgReply {
  id: string
  status: string
  model: string
  data: Array<{ url: string; width: number; height: number; mime_type: string; deletes_at: string }>
  usage: { total_cost: number; billable_unit: string; unit_price: number; quantity: number }
}

describe('getimg', () => {
  it('answers a signed-style URL with size, type and the exact cost', async () => {
    const server = await providerServer()
    expect(server.baseUrl('getimg')).toBe(`${server.origin}/getimg/v2`)
    expect(server.validKey('getimg')).toMatch(/^sk_/)
    const reply = await okJson<GetimgReply>(await postJson(server, 'getimg', GEN, body))
    expect(reply).toMatchObject({ id: expect.stringMatching(/^req-/), status: 'completed', model: 'gpt-image-2' })
    expect(reply.usage).toEqual({ total_cost: 0.06, billable_unit: 'image', unit_price: 0.06, quantity: 1 })
    const item = reply.data[0]!
    expect(item).toMatchObject({ width: 1024, height: 1024, mime_type: 'image/jpeg' })
    expect(Date.parse(item.deletes_at)).toBeGreaterThan(Date.now())
    const image = await download(item.url)
    expect(image.type).toBe('image/jpeg')
    expect(await wholeImage(image.bytes)).toEqual({ format: 'jpeg', width: 1024, height: 1024 })
    expect(server.billed('getimg')).toMatchObject({ charges: 1, usd: 0.06 })
  })

  it('makes 2K at $0.12 in the ratio asked, defaulting to jpeg', async () => {
    const server = await providerServer()
    const reply = await okJson<GetimgReply>(await postJson(server, 'getimg', GEN, { model: 'gpt-image-2', prompt: 'x', aspect_ratio: '21:9', resolution: '2K' }))
    expect(reply.usage.total_cost).toBe(0.12)
    expect(reply.data[0]).toMatchObject({ width: 2048, height: 880, mime_type: 'image/jpeg' })
    expect(await wholeImage((await download(reply.data[0]!.url)).bytes)).toEqual({ format: 'jpeg', width: 2048, height: 880 })
  })

  it('takes up to 10 reference images as {url, role: reference_image}', async () => {
    const server = await providerServer()
    const images = Array.from({ length: 10 }, (_, i) => ({ url: `https://cdn.example.com/${i}.png`, role: 'reference_image' }))
    expect((await postJson(server, 'getimg', GEN, { ...body, images })).status).toBe(200)
    const tooMany = await errorJson(await postJson(server, 'getimg', GEN, { ...body, images: [...images, images[0]] }))
    expect(tooMany).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('At most 10') } } })
    const noRole = await errorJson(await postJson(server, 'getimg', GEN, { ...body, images: [{ url: 'https://cdn.example.com/a.png' }] }))
    expect(noRole.status).toBe(400)
  })

  it('refuses a wrong key with 401 {error: {message}}', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'getimg', GEN, body, { key: 'sk_wrong' }))).toEqual({
      status: 401,
      body: { error: { message: 'Invalid or missing API key.' } },
    })
  })

  it('refuses a ratio, resolution or pixel size it does not list with 400, in either body shape', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'getimg', GEN, { ...body, aspect_ratio: '5:4' }))).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('aspect_ratio') } },
    })
    expect((await postJson(server, 'getimg', GEN, { ...body, resolution: '4K' })).status).toBe(400)
    server.configure({ getimg: { errorShape: 'top-level' } })
    expect(await errorJson(await postJson(server, 'getimg', GEN, { ...body, size: '1024x1024' }))).toEqual({
      status: 400,
      body: { message: "Unknown parameter: 'size'." },
    })
    expect(server.billed('getimg').charges).toBe(0)
  })
})
