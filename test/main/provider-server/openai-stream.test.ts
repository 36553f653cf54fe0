import { describe, expect, it } from 'vitest'
import { errorJson, file, pngOf, postForm, postJson, providerServer, strictBase64, wholeImage } from './helpers'

/**
 * The test server's OpenAI speaks the streamed form the OpenAPI description gives for
 * `stream: true`: `text/event-stream`, one `event:` and one `data:` line per event, partial images
 * (`partial_image_index` 0..n-1) and then the completed event with the final image and usage.
 */
const GEN = '/images/generations'
const base = { model: 'gpt-image-2', prompt: 'a white mug on a white desk' }

/** Plain parsing of the whole body, independent of the app's reader. */
function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(/^event: /)
      expect(lines[1]).toMatch(/^data: /)
      return { event: lines[0]!.slice(7), data: JSON.parse(lines[1]!.slice(6)) as Record<string, unknown> }
    })
}

describe('OpenAI streaming (stream: true, partial_images)', () => {
  it('streams the partial images, then the final image with usage, as the spec describes', async () => {
    const server = await providerServer()
    const res = await postJson(server, 'openai', GEN, { ...base, size: '1536x1024', output_format: 'webp', stream: true, partial_images: 3 })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const got = events(await res.text())
    expect(got.map((e) => e.event)).toEqual([
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.completed',
    ])
    for (const [i, e] of got.slice(0, 3).entries()) {
      expect(e.data).toMatchObject({
        type: 'image_generation.partial_image',
        partial_image_index: i,
        created_at: expect.any(Number),
        size: '1536x1024',
        quality: 'medium',
        background: 'opaque',
        output_format: 'webp',
      })
      // A real image, smaller than the final one.
      expect(await wholeImage(strictBase64(e.data.b64_json as string))).toEqual({ format: 'webp', width: 192, height: 128 })
    }
    const done = got[3]!.data
    expect(done).toMatchObject({ type: 'image_generation.completed', size: '1536x1024', output_format: 'webp' })
    expect(done).not.toHaveProperty('partial_image_index')
    expect(await wholeImage(strictBase64(done.b64_json as string))).toEqual({ format: 'webp', width: 1536, height: 1024 })
    const usage = done.usage as { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_details: object }
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens)
    expect(usage.input_tokens_details).toEqual({ text_tokens: expect.any(Number), image_tokens: 0 })
  })

  it('names edit events image_edit.*', async () => {
    const server = await providerServer()
    const form = new FormData()
    for (const [k, v] of Object.entries({ ...base, size: '1024x1024', stream: 'true', partial_images: '1' })) form.append(k, v)
    form.append('image', file(await pngOf(1024, 1024), 'in.png', 'image/png'))
    const got = events(await (await postForm(server, 'openai', '/images/edits', form)).text())
    expect(got.map((e) => e.event)).toEqual(['image_edit.partial_image', 'image_edit.completed'])
  })

  it('stream-cut: the partials arrive, then the body ends in the middle of the final event', async () => {
    const server = await providerServer()
    server.inject('openai', 'stream-cut')
    const text = await (await postJson(server, 'openai', GEN, { ...base, size: '1024x1024', stream: true, partial_images: 2 })).text()
    const blocks = text.split('\n\n')
    expect(events(blocks.slice(0, 2).join('\n\n')).map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.partial_image'])
    expect(blocks[2]).toMatch(/^event: image_generation.completed\ndata: \{/)
    expect(() => JSON.parse(blocks[2]!.split('\ndata: ')[1]!)).toThrow()
  })

  it('refuses partial_images outside 0-3, and resellers refuse stream: true', async () => {
    const server = await providerServer()
    expect(await errorJson(await postJson(server, 'openai', GEN, { ...base, stream: true, partial_images: 4 }))).toMatchObject({
      status: 400,
      body: { error: { param: 'partial_images' } },
    })
    expect(await errorJson(await postJson(server, 'gettoken', GEN, { ...base, stream: true }))).toMatchObject({
      status: 400,
      body: { error: { param: 'stream' } },
    })
  })
})
