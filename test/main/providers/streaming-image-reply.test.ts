import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DialectCall } from '../../../src/main/core/providers/dialect'
import { dialectCall } from '../../helpers/dialect-call'
import { lendingBuffers } from '../../helpers/lending-buffers'
import { providerFailure } from '../../helpers/provider-failure'
import { readImageReply } from '../../../src/main/core/providers/http/streaming-image-reply'

const call = (count = 1): DialectCall =>
  dialectCall('openai', 'http://127.0.0.1:9/v1', { count, size: { width: 64, height: 64 }, params: { n: count } })

/** A Response whose body arrives in pieces of the given sizes, cycling, to hit every boundary. */
function chunked(body: string, sizes: number[], withLength = true): Response {
  const bytes = Buffer.from(body, 'utf8')
  let offset = 0
  let n = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      const size = sizes[n++ % sizes.length]!
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)))
      offset += size
    },
  })
  return new Response(stream, { headers: withLength ? { 'content-length': String(bytes.length) } : {} })
}

let pngA: Buffer
let pngB: Buffer
beforeAll(async () => {
  pngA = await sharp({ create: { width: 64, height: 48, channels: 4, background: '#f80' } }).png().toBuffer()
  pngB = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#08f' } }).jpeg().toBuffer()
})

const SPLITS = [[1], [2], [3], [7], [64 * 1024], [5, 1, 13, 2, 999]]

const failure = providerFailure

describe('readImageReply decodes images while the reply streams in', () => {
  it.each(SPLITS)('b64_json images, other fields intact, whatever the chunk sizes (%j)', async (...sizes) => {
    const body = JSON.stringify({
      created: 1776864985,
      data: [
        { b64_json: pngA.toString('base64'), revised_prompt: 'a "quoted" kettle — naïve ✓ \\ done' },
        { revised_prompt: null, b64_json: pngB.toString('base64') },
      ],
      usage: { total_tokens: 42, url: 'not an image field at this level' },
    })
    const reply = (await readImageReply(call(2), chunked(body, sizes))) as {
      created: number
      data: { b64_json: Uint8Array; revised_prompt: string | null }[]
      usage: { total_tokens: number; url: string }
    }
    expect(Buffer.from(reply.data[0]!.b64_json).equals(pngA)).toBe(true)
    expect(Buffer.from(reply.data[1]!.b64_json).equals(pngB)).toBe(true)
    expect(reply.data[0]!.revised_prompt).toBe('a "quoted" kettle — naïve ✓ \\ done')
    expect(reply.created).toBe(1776864985)
    expect(reply.usage).toEqual({ total_tokens: 42, url: 'not an image field at this level' })
  })

  it.each(SPLITS)('data: URIs in url are decoded, links stay links (%j)', async (...sizes) => {
    const body = JSON.stringify({
      data: [
        { url: `data:image/png;base64,${pngA.toString('base64')}` },
        { url: 'https://cdn.example.com/a/b.png?sig=1' },
        { url: 'd' },
      ],
    })
    const reply = (await readImageReply(call(3), chunked(body, sizes, false))) as { data: { url: unknown }[] }
    expect(Buffer.from(reply.data[0]!.url as Uint8Array).equals(pngA)).toBe(true)
    expect(reply.data[1]!.url).toBe('https://cdn.example.com/a/b.png?sig=1')
    expect(reply.data[2]!.url).toBe('d')
  })

  it('accepts "/" escaped as "\\/" and escaped line breaks inside base64, as some encoders write them', async () => {
    const b64 = pngA.toString('base64')
    const wrapped = b64.replace(/\//g, '\\/').replace(/(.{76})/g, '$1\\n')
    const reply = (await readImageReply(call(), chunked(`{"data":[{"b64_json":"${wrapped}"}]}`, [3]))) as { data: { b64_json: Uint8Array }[] }
    expect(Buffer.from(reply.data[0]!.b64_json).equals(pngA)).toBe(true)
  })

  it('refuses characters that are not base64, an empty value, and a reply cut off mid-image', async () => {
    const b64 = pngA.toString('base64')
    const broken = `${b64.slice(0, 100)}!!**${b64.slice(100)}`
    expect((await failure(readImageReply(call(), chunked(`{"data":[{"b64_json":"${broken}"}]}`, [50])))).code).toBe('bad_base64')
    expect((await failure(readImageReply(call(), chunked('{"data":[{"b64_json":""}]}', [4])))).code).toBe('bad_base64')
    expect((await failure(readImageReply(call(), chunked(`{"data":[{"b64_json":"${b64.slice(0, 500)}`, [64])))).code).toBe('bad_json')
    expect((await failure(readImageReply(call(), chunked('<html>502 Bad Gateway</html>', [10])))).code).toBe('bad_json')
  })

  // Bytes after a padded group would be dropped silently by the decoder: half an image, no error.
  it.each([[1], [3], [64 * 1024]])('refuses "=" padding in the middle of an image (chunks of %j)', async (size) => {
    const b64 = pngA.toString('base64')
    const cut = b64.length - (b64.length % 4) - 8
    const padded = `${b64.slice(0, cut)}QQ==${b64.slice(cut)}`
    expect((await failure(readImageReply(call(), chunked(`{"data":[{"b64_json":"${padded}"}]}`, [size])))).code).toBe('bad_base64')
  })

  it('keeps an image in one buffer sized from the reply, not in many copies', async () => {
    const big = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer()
    const body = JSON.stringify({ data: [{ b64_json: big.toString('base64') }] })
    const reply = (await readImageReply(call(), chunked(body, [16 * 1024]))) as { data: { b64_json: Uint8Array }[] }
    const bytes = reply.data[0]!.b64_json
    expect(Buffer.from(bytes).equals(big)).toBe(true)
    // The decoded view sits in a buffer barely larger than the image (estimated from content-length).
    expect(bytes.buffer.byteLength).toBeLessThan(big.length * 1.1 + 8192)
  })

  it('decodes into buffers borrowed from the call when it lends them, one per image', async () => {
    const buffers = lendingBuffers()
    const lending: DialectCall = { ...call(2), imageBuffers: buffers }
    const borrowed = buffers.lent
    const body = JSON.stringify({ data: [{ b64_json: pngA.toString('base64') }, { b64_json: pngB.toString('base64') }] })
    const reply = (await readImageReply(lending, chunked(body, [3, 1000]))) as { data: { b64_json: Uint8Array }[] }
    expect(borrowed).toHaveLength(2)
    expect(reply.data.map((d) => d.b64_json.buffer === borrowed[reply.data.indexOf(d)]!.buffer.buffer)).toEqual([true, true])
    expect(Buffer.from(reply.data[0]!.b64_json).equals(pngA)).toBe(true)
    expect(Buffer.from(reply.data[1]!.b64_json).equals(pngB)).toBe(true)
    // Each asked for room for its own image (the reply's length shared between the images still to come).
    expect(borrowed[0]!.asked).toBeGreaterThanOrEqual(pngA.length)
  })
})
