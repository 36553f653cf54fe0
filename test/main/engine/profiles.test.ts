import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import type { ProviderSummary } from '../../../src/shared/api'
import { tempDir } from '../../helpers/temp-dir'

async function open(home: string): Promise<Engine> {
  return createEngine({
    home,
    demoDelayMs: 1,
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'test' } }),
  })
}

async function call(engine: Engine, name: string, input: unknown) {
  return engine.router.handle(name, input)
}

const summary = async (engine: Engine, id: string): Promise<ProviderSummary> => {
  const r = await call(engine, 'providers.list', {})
  if (!r.ok) throw new Error(r.error.message)
  return (r.value as { providers: ProviderSummary[] }).providers.find((p) => p.id === id)!
}

describe('provider profiles the user changes', () => {
  it('overrides a built-in base URL and prices, survives a restart, and resets on remove', async () => {
    const home = tempDir('proofsheet-profiles-')
    let engine = await open(home)
    const saved = await call(engine, 'providers.save', {
      kind: 'override',
      id: 'tokensmart',
      baseUrl: 'https://eu.tokensmart.example/v1',
      prices: [{ tier: 'image', price: 0.05 }],
      priceSource: 'our contract, 2026-11',
    })
    expect(saved).toMatchObject({ ok: true, value: { id: 'tokensmart', baseUrl: 'https://eu.tokensmart.example/v1', overridden: true } })
    const estimate = await call(engine, 'jobs.estimate', { provider: 'tokensmart', sizes: [{ width: 1024, height: 1024 }], n: 3 })
    expect(estimate).toMatchObject({ ok: true, value: { total: 0.15, source: 'our contract, 2026-11' } })
    await engine.close()

    engine = await open(home)
    expect(await summary(engine, 'tokensmart')).toMatchObject({ baseUrl: 'https://eu.tokensmart.example/v1', overridden: true })
    expect(await call(engine, 'providers.remove', { id: 'tokensmart' })).toEqual({ ok: true, value: { removed: true } })
    expect(await summary(engine, 'tokensmart')).toMatchObject({ baseUrl: 'https://api.tokensmart.ai/v1', overridden: false, prices: [] })
    await engine.close()
  })

  it('adds a custom OpenAI-compatible endpoint that can be estimated and queued', async () => {
    const engine = await open(tempDir('proofsheet-profiles-'))
    const saved = await call(engine, 'providers.save', {
      kind: 'custom',
      id: 'studio-proxy',
      name: 'Studio proxy',
      baseUrl: 'https://images.studio.example/v1',
      modelId: 'gpt-image-2',
      sizes: ['1024x1024', '1536x1024'],
      prices: [{ tier: 'image', price: 0.1 }],
    })
    expect(saved).toMatchObject({ ok: true, value: { id: 'studio-proxy', origin: 'custom', dialect: 'openai-sync', needsKey: true } })
    const queued = await call(engine, 'jobs.generate', {
      provider: 'studio-proxy',
      prompt: 'linen shirt on a hanger',
      sizes: [{ width: 1536, height: 1024 }],
      key: { keyEnv: 'STUDIO_KEY' },
    })
    expect(queued).toMatchObject({ ok: true, value: { jobs: [{ provider: 'studio-proxy', estimatedCost: 0.1, keyLabel: '$STUDIO_KEY' }] } })
    // Removing it while its job waits would strand the job.
    expect(await call(engine, 'providers.remove', { id: 'studio-proxy' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    await engine.close()
  })

  it('refuses bad settings with the field named: a built-in id for a custom profile, plain http, an unknown tier', async () => {
    const engine = await open(tempDir('proofsheet-profiles-'))
    const base = { kind: 'custom', name: 'x', modelId: 'm', sizes: ['1024x1024'] }
    expect(await call(engine, 'providers.save', { ...base, id: 'openai', baseUrl: 'https://x.example/v1' })).toMatchObject({ ok: false, error: { field: 'id' } })
    expect(await call(engine, 'providers.save', { ...base, id: 'mine', baseUrl: 'ftp://x.example' })).toMatchObject({ ok: false, error: { field: 'baseUrl' } })
    expect(await call(engine, 'providers.save', { kind: 'override', id: 'toapis', prices: [{ tier: 'image', price: 1 }] })).toMatchObject({
      ok: false,
      error: { field: 'prices', fix: 'Price these tiers: 1K, 2K, 4K.' },
    })
    expect(await call(engine, 'providers.save', { kind: 'override', id: 'demo', baseUrl: 'https://x.example' })).toMatchObject({ ok: false, error: { field: 'id' } })
    await engine.close()
  })

  it('refuses a per-job base URL that would send the key unencrypted', async () => {
    const engine = await open(tempDir('proofsheet-profiles-'))
    const r = await call(engine, 'jobs.generate', {
      provider: 'openai',
      prompt: 'x',
      sizes: [{ width: 1024, height: 1024 }],
      baseUrl: 'http://api.example.com/v1',
      key: { keyEnv: 'OPENAI_API_KEY' },
    })
    expect(r).toMatchObject({ ok: false, error: { field: 'baseUrl' } })
    await engine.close()
  })
})

describe('timeouts', () => {
  it('a saved timeout applies to the profile; below 30 s is refused as too short for image work', async () => {
    const engine = await open(tempDir('proofsheet-profiles-'))
    expect(await call(engine, 'providers.save', { kind: 'override', id: 'gettoken', timeoutSeconds: 300 })).toMatchObject({ ok: true })
    expect(await call(engine, 'providers.save', { kind: 'override', id: 'gettoken', timeoutSeconds: 5 })).toMatchObject({
      ok: false,
      error: { field: 'timeoutSeconds' },
    })
    await engine.close()
  })
})
