import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { PartialImage } from '../../../src/main/core/providers/dialect'
import { createOpenAiSyncAdapter } from '../../../src/main/core/providers/openai-sync'
import type { ProviderServer } from '../../provider-server'
import { dialectCall, type CallOverrides } from '../../helpers/dialect-call'
import { providerFailure } from '../../helpers/provider-failure'
import { useProviderServer } from '../../helpers/provider-server-per-file'

/**
 * Streaming with partial images (`stream: true`, `partial_images`) against the test server's
 * OpenAI, which answers with the event stream the OpenAPI description gives: partial images in
 * order, then the completed event with the final image and its usage.
 */
let server: ProviderServer
useProviderServer((s) => (server = s))

const adapter = createOpenAiSyncAdapter()
const size = { width: 1024, height: 1024 }

function streamCall(provider: 'openai' | 'gettoken' | 'tokenhub' | 'tokensmart', partialImages: number, over: CallOverrides = {}) {
  const partials: PartialImage[] = []
  const call = dialectCall(provider, server.baseUrl(provider), {
    secret: server.validKey(provider),
    size,
    ...over,
    params: { partialImages, ...over.params },
    onPartialImage: (p) => partials.push(p),
  })
  return { call, partials }
}

const lastBody = (provider: 'openai' | 'gettoken' | 'tokenhub' | 'tokensmart') => {
  const body = server.requestsTo(provider).at(-1)!.body
  if (body.kind === 'json') return body.value as Record<string, unknown>
  if (body.kind === 'multipart') return Object.fromEntries(Object.entries(body.fields).map(([k, v]) => [k, v.at(-1)]))
  throw new Error(`unexpected body ${body.kind}`)
}

describe('OpenAI streaming with partial images', () => {
  it('asks for a stream, hands on each partial in order, and returns the final image and the usage', async () => {
    const { call, partials } = streamCall('openai', 2)
    const result = await adapter.generate(call)

    expect(lastBody('openai')).toMatchObject({ stream: true, partial_images: 2 })
    expect(partials.map((p) => p.index)).toEqual([0, 1])
    for (const p of partials) {
      // Real (small) images, not the final one.
      const meta = await sharp(p.bytes).metadata()
      expect([meta.width, meta.height]).toEqual([128, 128])
    }
    expect(result.images).toHaveLength(1)
    const final = await sharp(result.images[0]!.bytes).metadata()
    expect([final.width, final.height, final.format]).toEqual([1024, 1024, 'png'])
    expect(result.usage).toEqual({
      inputTokens: expect.any(Number),
      inputTextTokens: expect.any(Number),
      inputImageTokens: 0,
      outputTokens: Math.ceil((1024 * 1024) / 750),
      totalTokens: expect.any(Number),
    })
    expect(result.usage!.totalTokens).toBe(result.usage!.inputTokens! + result.usage!.outputTokens!)
  })

  it('streams edits too (image_edit.* events, multipart form fields)', async () => {
    const ref = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#345' } }).png().toBuffer()
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const file = join(mkdtempSync(join(tmpdir(), 'stream-ref-')), 'ref.png')
    writeFileSync(file, ref)
    const { call, partials } = streamCall('openai', 1, { params: { refs: [{ kind: 'file', path: file }] } })
    const result = await adapter.generate(call)
    expect(server.requestsTo('openai').at(-1)!.route).toBe('edits')
    expect(lastBody('openai')).toMatchObject({ stream: 'true', partial_images: '1' })
    expect(partials.map((p) => p.index)).toEqual([0])
    expect(result.images).toHaveLength(1)
    expect(result.usage?.inputImageTokens).toBeGreaterThan(0)
  })

  it('a stream cut in the middle of the final event is a provider error the queue retries, not an image', async () => {
    server.inject('openai', 'stream-cut')
    const { call, partials } = streamCall('openai', 2)
    const err = await providerFailure(adapter.generate(call))
    expect(partials).toHaveLength(2) // what came before the cut still arrived
    expect(err.kind).toBe('provider_down')
    expect(err.code).toBe('stream_truncated')
    expect(err.message).toMatch(/OpenAI's stream ended before the final image arrived/)
  })

  it('a connection dropped mid-stream is a network error, retried like one', async () => {
    server.inject('openai', 'reset')
    const { call } = streamCall('openai', 3)
    const err = await providerFailure(adapter.generate(call))
    expect(err.kind).toBe('retryable')
  })

  it('a final image that is not valid base64 fails the call like a plain reply would', async () => {
    server.inject('openai', 'invalid-base64')
    const { call } = streamCall('openai', 1)
    const err = await providerFailure(adapter.generate(call))
    expect(err.code).toBe('bad_base64')
  })

  it('partial_images 0 (or none) sends no streaming fields and reads the plain reply', async () => {
    const { call, partials } = streamCall('openai', 0)
    const result = await adapter.generate(call)
    const body = lastBody('openai')
    expect(body).not.toHaveProperty('stream')
    expect(body).not.toHaveProperty('partial_images')
    expect(partials).toEqual([])
    expect(result.images).toHaveLength(1)
  })

  it.each(['gettoken', 'tokenhub', 'tokensmart'] as const)('%s (no streaming documented) is never sent the streaming fields', async (provider) => {
    const { call, partials } = streamCall(provider, 2)
    await adapter.generate(call)
    const body = lastBody(provider)
    expect(body).not.toHaveProperty('stream')
    expect(body).not.toHaveProperty('partial_images')
    expect(partials).toEqual([])
  })

  it.each([
    ['an event that is not JSON', 'event: image_generation.partial_image\ndata: {"b64_json": "AAAA", oops\n\n', 'bad_stream', /streamed an event that is not JSON/],
    ['a final event without image data', 'event: image_generation.completed\ndata: {"type":"image_generation.completed"}\n\n', 'bad_stream', /final image event without image data/],
    ['an error event', 'event: error\ndata: {"error":{"message":"Your request was rejected by the safety system.","code":"moderation_blocked"}}\n\n', 'moderation_blocked', /safety system/],
    ['nothing at all', ': keep-alive\n\n', 'stream_truncated', /ended before the final image/],
  ])('a malformed stream (%s) is a clear provider error', async (_what, body, code, message) => {
    const fetchStream: typeof fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    const { call } = streamCall('openai', 1, { fetch: fetchStream })
    const err = await providerFailure(adapter.generate(call))
    expect(err.code).toBe(code)
    expect(err.message).toMatch(message)
  })
})
