import { describe, expect, it } from 'vitest'
import { readEventStream, type StreamEvent } from '../../../src/main/core/providers/http/event-stream'
import { providerFailure } from '../../helpers/provider-failure'

/** The body in pieces of the given sizes, cycling, so every line end lands on a chunk edge somewhere. */
async function* pieces(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text)
  let n = 0
  for (let at = 0; at < bytes.length; ) {
    const size = sizes[n++ % sizes.length]!
    yield new Uint8Array(bytes.subarray(at, at + size))
    at += size
  }
}

async function read(text: string, sizes: number[], maxEventBytes = 1 << 20): Promise<{ type: string; data: string }[]> {
  const out: { type: string; data: string }[] = []
  for await (const e of readEventStream(pieces(text, sizes), { maxEventBytes, providerName: 'OpenAI' })) out.push(show(e))
  return out
}

const show = (e: StreamEvent) => ({ type: e.type, data: e.data.toString('utf8') })
const SPLITS = [[1], [2], [3], [5, 1, 13], [4096]]

describe('readEventStream', () => {
  it.each(SPLITS)('reads events, comments and every line ending, whatever the chunk sizes (%j)', async (...sizes) => {
    const text =
      ': keep-alive\n' +
      'event: image_generation.partial_image\ndata: {"a":1}\n\n' +
      'event:image_generation.completed\r\ndata: line one\r\ndata: line two\r\n\r\n' +
      'data: no type\rid: 7\rretry: 10\r\r' +
      'event: ignored-without-data\n\n' +
      'event: last\ndata: {"never":"ended"}'
    expect(await read(text, sizes)).toEqual([
      { type: 'image_generation.partial_image', data: '{"a":1}' },
      { type: 'image_generation.completed', data: 'line one\nline two' },
      { type: 'message', data: 'no type' },
    ])
  })

  it('refuses an event over the cap while it is still arriving', async () => {
    const huge = `event: x\ndata: ${'A'.repeat(5000)}\n\n`
    const err = await providerFailure(read(huge, [256], 1000))
    expect(err.code).toBe('too_large')
    expect(err.message).toMatch(/OpenAI streamed an event over/)
  })
})
