/**
 * A user's own OpenAI-compatible profile that names a gpt-image model gets the model's size rule
 * too: both sides multiples of 16, for the sizes it lists as well as custom ones, refused before
 * anything is queued or sent. A profile for another model keeps the sizes it lists.
 */
import { describe, expect, it } from 'vitest'
import { call, openEngine, refused } from '../../helpers/engine'
import { useProviderServer } from '../../helpers/provider-server-per-file'
import { tempDir } from '../../helpers/temp-dir'
import type { ProviderServer } from '../../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const profile = (id: string, modelId: string) => ({
  kind: 'custom',
  id,
  name: `Studio ${modelId}`,
  baseUrl: server.baseUrl('openai'),
  modelId,
  sizes: ['1000x777', '1024x1024'],
  prices: [{ tier: 'image', price: 0.1 }],
})

describe('custom profiles naming a gpt-image model', () => {
  it('refuses a listed size whose sides are not multiples of 16, naming the nearest that works; other models keep their list', async () => {
    const engine = await openEngine(tempDir('proofsheet-gpt-sizes-'), { env: { KEY: server.validKey('openai') } })
    await call(engine, 'providers.save', profile('studio-gpt', 'gpt-image-1'))
    await call(engine, 'providers.save', profile('studio-other', 'flux-dev'))
    const request = (provider: string) => ({ provider, prompt: 'linen shirt', sizes: [{ width: 1000, height: 777 }], key: { keyEnv: 'KEY' } })
    for (const name of ['jobs.estimate', 'jobs.generate']) {
      const error = await refused(engine, name, request('studio-gpt'))
      // 1008x784 is not on this profile's list either: only the listed size that works is offered.
      expect(error).toMatchObject({ code: 'bad_input', field: 'size', fix: 'Use one of: 1024x1024.' })
      expect(error.message).toMatch(/1000x777 does not work on Studio gpt-image-1 \(gpt-image-1\): both sides must be multiples of 16 px/)
    }
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    expect(server.requests).toHaveLength(0)
    expect(await call(engine, 'jobs.estimate', request('studio-other'))).toMatchObject({ provider: 'studio-other' })
    // Custom sizes on (multiples of 16) do not take back a size another model's profile lists.
    await call(engine, 'providers.save', { ...profile('studio-other', 'flux-dev'), customSizes: true })
    expect(await call(engine, 'jobs.estimate', request('studio-other'))).toMatchObject({ provider: 'studio-other' })
    // With custom sizes on, the nearest size that works is named.
    await call(engine, 'providers.save', { ...profile('studio-gpt', 'gpt-image-1'), customSizes: true })
    expect(await refused(engine, 'jobs.generate', request('studio-gpt'))).toMatchObject({ field: 'size', fix: 'Use 1008x784, the nearest size that works.' })
  })
})
