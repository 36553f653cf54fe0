import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { JobPartialImage } from '../../../src/shared/api'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/wait'
import { useProviderServer } from '../../helpers/provider-server-per-file'
import type { ProviderServer } from '../../provider-server'

/**
 * Partial images through the engine: asked for in the request, refused where the provider does
 * not stream, announced as `job.partial` events with a small preview while the job runs, kept in
 * memory for a placeholder that asks later, and never stored in the library.
 */
let server: ProviderServer
useProviderServer((s) => (server = s))

async function openaiEngine() {
  const home = tempDir('proofsheet-partials-')
  const engine = await openEngine(home, { env: { OPENAI_TEST_KEY: server.validKey('openai') } })
  await call(engine, 'providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })
  return { engine, home }
}

const request = (over: Record<string, unknown> = {}) => ({
  provider: 'openai',
  prompt: 'a ceramic teapot on white',
  sizes: [{ width: 1024, height: 1024 }],
  key: { keyEnv: 'OPENAI_TEST_KEY' },
  partialImages: 2,
  ...over,
})

describe('partial images', () => {
  it('are refused, naming the field and the fix, for a provider that does not stream', async () => {
    const { engine } = await openaiEngine()
    for (const provider of ['gettoken', 'demo']) {
      const error = await refused(engine, 'jobs.generate', request({ provider, key: { keyEnv: 'OPENAI_TEST_KEY' } }))
      expect(error).toMatchObject({ code: 'bad_input', field: 'partialImages', fix: expect.stringMatching(/partial previews off/) })
    }
    expect(await refused(engine, 'jobs.generate', request({ partialImages: 4 }))).toMatchObject({ field: 'partialImages' })
    expect(server.requests).toHaveLength(0)
  })

  it('arrive as small previews while the job runs, one image per call, and only the final images are stored', async () => {
    const { engine, home } = await openaiEngine()
    const seen: JobPartialImage[] = []
    const off = engine.router.subscribe((m) => {
      if (m.event === 'job.partial') seen.push(m.data)
    })
    const release = server.holdStreams()
    const { jobs } = await call(engine, 'jobs.generate', request({ n: 2 }))
    const id = jobs[0]!.id

    // A preview still being made when a newer partial comes is dropped: only the newest matters.
    await until(() => seen.some((p) => p.imageIndex === 0 && p.partialIndex === 1), 'the last partial of the first image was announced')
    const latest = (await call(engine, 'jobs.partialPreview', { id })).partial
    expect(latest).toMatchObject({ jobId: id, imageIndex: 0, partialIndex: 1, preview: expect.stringMatching(/^data:image\/webp;base64,/) })
    const preview = Buffer.from(latest!.preview.split(',')[1]!, 'base64')
    const meta = await sharp(preview).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', latest!.width, latest!.height])
    // Small enough to travel in an event to every door.
    expect(latest!.preview.length).toBeLessThan(32 * 1024)
    // Nothing of it reached the library.
    expect((await call(engine, 'gallery.list', {})).images).toHaveLength(0)

    release()
    await until(async () => (await call(engine, 'jobs.get', { id })).status === 'succeeded', 'the job finished')
    off()
    const job = await call(engine, 'jobs.get', { id })
    expect(job.imageIds).toHaveLength(2)
    // Announced in order: never an older partial after a newer one.
    const order = seen.map((p) => p.imageIndex * 10 + p.partialIndex)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    // The provider got one image per call, each asked as a stream.
    const bodies = server.requestsTo('openai', 'generations').map((r) => (r.body.kind === 'json' ? r.body.value : null))
    expect(bodies).toEqual([expect.objectContaining({ n: 1, stream: true, partial_images: 2 }), expect.objectContaining({ n: 1, stream: true, partial_images: 2 })])
    // Stored as today: two full-size images, no partial files beside them.
    const stored = readdirSync(join(home, 'images'), { recursive: true }).filter((f) => /\.(png|webp|jpe?g)$/.test(String(f)))
    expect(stored).toHaveLength(2)
    expect((await call(engine, 'jobs.partialPreview', { id })).partial).toBeNull()
  })
})
