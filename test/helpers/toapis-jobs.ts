/**
 * ToAPIs jobs through a real engine against the test provider server: fast retries and polling,
 * the key from an environment variable, one 1:1@1K size. Shared by the failed-task and fan-out
 * specs, which differ in what they do with the jobs, not in how they make them.
 */
import type { JobView } from '../../src/shared/api'
import type { Engine } from '../../src/main/core/engine'
import type { ProviderServer } from '../provider-server'
import { call, openEngine } from './engine'
import { until } from './wait'

/** ToAPIs' listed price for one 1K image. */
export const TOAPIS_PRICE_1K = 0.015

const FAST = { retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 }, asyncTaskPolling: { firstPollMs: 1, pollEveryMs: 1 } }

/** `server` is read when called: the per-file server starts in beforeAll. */
export function toapisJobs(server: () => ProviderServer) {
  return {
    engineFor(home: string, options: Partial<Parameters<typeof openEngine>[1]> = {}): Promise<Engine> {
      return openEngine(home, { ...FAST, env: { TOAPIS_KEY: server().validKey('toapis') }, ...options })
    },
    async generate(engine: Engine, prompt: string, n = 1): Promise<string> {
      const { jobs } = await call(engine, 'jobs.generate', {
        provider: 'toapis',
        prompt,
        n,
        sizes: [{ aspect: '1:1', resolution: '1K' }],
        baseUrl: server().baseUrl('toapis'),
        key: { keyEnv: 'TOAPIS_KEY' },
      })
      return jobs[0]!.id
    },
    async settled(engine: Engine, id: string): Promise<JobView> {
      await until(async () => ['succeeded', 'failed', 'interrupted'].includes((await call(engine, 'jobs.get', { id })).status), `job ${id} settles`)
      return call(engine, 'jobs.get', { id })
    },
  }
}
