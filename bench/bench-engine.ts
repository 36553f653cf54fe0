/**
 * A real engine for the benchmarks: a temp library folder, real SQLite, media store and queue,
 * session-only secrets (no keychain), and a custom OpenAI-compatible profile pointing at a
 * bench server. The queue is not started: the caller starts it when its clock starts.
 */
import { createEngine, type Engine } from '../src/main/core/engine'
import { SessionSecretStore } from '../src/main/core/secrets'
import type { JobView } from '../src/shared/api'
import type { BenchServer } from './bench-server'
import { NOISE_HEIGHT, NOISE_WIDTH } from './sample-png'

export const BENCH_PROVIDER = 'bench-openai'

export interface BenchEngineOptions {
  home: string
  server: BenchServer
  concurrency: number
  /** Images per provider call (the profile's maxImagesPerCall). */
  perCall: number
  pollIntervalMs?: number
  fetch?: typeof fetch
}

export async function openBenchEngine(options: BenchEngineOptions): Promise<Engine> {
  const engine = await createEngine({
    home: options.home,
    secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: 'benchmark' } }),
    env: { BENCH_KEY: options.server.key },
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  try {
    // No requestsPerMinute: the rate limiter lets every call through, as a profile without a cap does.
    const saved = await engine.router.handle('providers.save', {
      kind: 'custom',
      id: BENCH_PROVIDER,
      name: 'Bench OpenAI-compatible',
      baseUrl: options.server.baseUrl,
      modelId: 'gpt-image-2',
      sizes: [`${NOISE_WIDTH}x${NOISE_HEIGHT}`],
      formats: ['png'],
      prices: [{ tier: 'image', price: 0.04 }],
      concurrency: options.concurrency,
      maxImagesPerCall: options.perCall,
    })
    if (!saved.ok) throw new Error(`providers.save: ${saved.error.message}`)
    return engine
  } catch (err) {
    await engine.close()
    throw err
  }
}

/** Queues `jobs` jobs of `perCall` images each through jobs.generate; returns their ids. */
export async function queueBenchJobs(engine: Engine, jobs: number, perCall: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < jobs; i++) {
    const queued = await engine.router.handle('jobs.generate', {
      provider: BENCH_PROVIDER,
      prompt: `benchmark job ${i + 1} of ${jobs}`,
      sizes: [{ width: NOISE_WIDTH, height: NOISE_HEIGHT }],
      format: 'png',
      n: perCall,
      key: { keyEnv: 'BENCH_KEY' },
    })
    if (!queued.ok) throw new Error(`jobs.generate: ${queued.error.message}`)
    ids.push(...(queued.value as { jobs: JobView[] }).jobs.map((j) => j.id))
  }
  return ids
}
