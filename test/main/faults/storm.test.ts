/**
 * The storm: the real engine (a real library in a temp folder, opened as the app opens it) runs
 * jobs on all six hosted providers at once, two keys each, every profile with a small concurrency
 * and requests-per-minute limit, while the provider server fails a seeded share of requests with
 * every fault it can produce. Afterwards the server's own record is checked against the queue's
 * rules (storm-checks.ts), and the router must have answered throughout.
 *
 * PROOFSHEET_STORM_SECONDS sets how long jobs keep coming (default 120); PROOFSHEET_STORM_SEED
 * replays a fault mix (the seed is printed either way).
 */
import { describe, expect, it } from 'vitest'
import type { JobView, SizeSpec } from '../../../src/shared/api'
import { startProviderServer, PROVIDER_IDS, type ProviderId } from '../../provider-server'
import { call, openEngine } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'
import { faultRain } from './fault-rain'
import { startProbe } from './responsiveness-probe'
import { seededRandom, seedFrom } from '../../helpers/seeded-random'
import {
  busiestMinute,
  checkBackoff,
  checkBilling,
  checkConcurrency,
  checkOutcomes,
  checkRequestsPerMinute,
  checkRetryAfter,
  requestsByJob,
  type ProfileLimits,
  type StormRecord,
} from './storm-checks'

const SECONDS = Number(process.env.PROOFSHEET_STORM_SECONDS ?? 120)
const SEED = seedFrom(process.env, 'PROOFSHEET_STORM_SEED')

/** Small limits, different per provider, so each one binds somewhere in the storm. */
const LIMITS: Record<ProviderId, ProfileLimits> = {
  openai: { concurrency: 2, requestsPerMinute: 40 },
  gettoken: { concurrency: 1, requestsPerMinute: 30 },
  tokenhub: { concurrency: 3, requestsPerMinute: 60 },
  tokensmart: { concurrency: 2, requestsPerMinute: 40 },
  toapis: { concurrency: 3, requestsPerMinute: 50 },
  getimg: { concurrency: 2, requestsPerMinute: 45 },
}

const SIZE: Record<ProviderId, SizeSpec> = {
  openai: { width: 1024, height: 1024 },
  gettoken: { width: 1024, height: 1024 },
  tokenhub: { width: 1024, height: 1024 },
  tokensmart: { width: 1024, height: 1024 },
  toapis: { aspect: '1:1', resolution: '1K' },
  getimg: { aspect: '1:1', resolution: '1K' },
}

/** Short backoff so a job meets several faults within the storm; the bound is what is checked. */
const RETRY = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4000 }

/**
 * The one timing bound here: a router call that takes this long means the engine hung (a sync
 * loop, a lock held across awaits), which no amount of CI load explains. Typical calls take ms.
 */
const HUNG_ENGINE_MS = 10_000

describe('storm: every provider fault at once, under concurrency', () => {
  it(
    'keeps the limits, retries by the rules, bills what it records, and keeps answering',
    async () => {
      console.log(`storm: seed ${SEED}, ${SECONDS} s of jobs (PROOFSHEET_STORM_SEED=${SEED} replays the fault mix)`)
      const random = seededRandom(SEED)
      const server = await startProviderServer({ latencyMs: 40 })
      try {
        const engine = await openEngine(tempDir('proofsheet-storm-'), {
          retry: RETRY,
          asyncTaskPolling: { firstPollMs: 50, pollEveryMs: 150, maxPollMs: 20_000 },
        })
        const keys = {} as Record<ProviderId, string[]>
        for (const provider of PROVIDER_IDS) {
          await call(engine, 'providers.save', { kind: 'override', id: provider, baseUrl: server.baseUrl(provider), ...LIMITS[provider] })
          const first = await call(engine, 'keys.add', { provider, label: `${provider} studio`, secret: server.validKey(provider) })
          const second = await call(engine, 'keys.add', { provider, label: `${provider} client`, secret: server.addKey(provider) })
          keys[provider] = [first.id, second.id]
        }
        server.reset() // forget setup traffic (key checks), keep the keys
        const rain = faultRain(server, { random, apiShare: 0.45, fileShare: 0.3 })
        server.setFaultSource(rain.source)

        const probe = startProbe(
          engine,
          [
            { name: 'queue.state', input: {} },
            { name: 'gallery.list', input: { limit: 60 } },
            { name: 'jobs.estimate', input: { provider: 'tokenhub', sizes: [SIZE.tokenhub, { width: 2048, height: 2048 }], n: 2 } },
          ],
          200,
        )

        // Jobs keep coming: each provider keeps a backlog of twice its concurrency.
        const ids: string[] = []
        let made = 0
        const deadline = Date.now() + SECONDS * 1000
        while (Date.now() < deadline) {
          const { jobs: queued } = await call(engine, 'jobs.list', { status: 'queued', limit: 500 })
          for (const provider of PROVIDER_IDS) {
            const backlog = queued.filter((j) => j.provider === provider).length
            for (let i = backlog; i < LIMITS[provider].concurrency * 2; i++) {
              made++
              const { jobs } = await call(engine, 'jobs.generate', {
                provider,
                prompt: `storm ${provider} ${made}`,
                sizes: [SIZE[provider]],
                key: { keyId: keys[provider][made % 2]! },
              })
              ids.push(...jobs.map((j) => j.id))
            }
          }
          await new Promise((r) => setTimeout(r, 500))
        }
        // No new work; the faults go on until every job has ended.
        await engine.waitForJobs(ids, AbortSignal.timeout(300_000))
        server.setFaultSource(null)
        const report = await probe.stop()

        const jobs: JobView[] = []
        for (const id of ids) jobs.push(await call(engine, 'jobs.get', { id }))
        const record: StormRecord = {
          requests: [...server.requests],
          tasks: server.tasks,
          charges: server.charges,
          jobs,
          limits: LIMITS,
          peaks: Object.fromEntries(PROVIDER_IDS.map((p) => [p, server.inFlight(p).peak])) as Record<ProviderId, number>,
        }
        const billing = checkBilling(record)
        printSummary(record, rain.served(), billing.perProvider, report)

        // All at once, so one failed storm shows every rule it broke.
        expect({
          serverErrors: server.internalErrors,
          concurrency: checkConcurrency(record),
          requestsPerMinute: checkRequestsPerMinute(record),
          retryAfter: checkRetryAfter(record),
          backoff: checkBackoff(record, RETRY),
          outcomes: checkOutcomes(record),
          billing: billing.breaches,
          router: report.failures,
        }).toEqual({ serverErrors: [], concurrency: [], requestsPerMinute: [], retryAfter: [], backoff: [], outcomes: [], billing: [], router: [] })
        expect(report.slowestMs).toBeLessThan(HUNG_ENGINE_MS)
        // The storm really happened: every provider finished work, and met most of its faults
        // (each has 14 to 16 kinds; the shuffled decks serve them all within a two-minute storm).
        for (const provider of PROVIDER_IDS) {
          expect(jobs.some((j) => j.provider === provider && j.status === 'succeeded'), `${provider} finished a job`).toBe(true)
          const kinds = new Set(Object.keys(rain.served()[provider] ?? {}).map((name) => name.replace(/^download /, '').replace(' + Retry-After', '')))
          expect(kinds.size, `${provider} met many kinds of fault`).toBeGreaterThanOrEqual(10)
        }
      } finally {
        server.setFaultSource(null)
        await server.close()
      }
    },
    (SECONDS + 420) * 1000,
  )
})

function printSummary(
  record: StormRecord,
  served: Record<string, Record<string, number>>,
  billing: ReturnType<typeof checkBilling>['perProvider'],
  report: Awaited<ReturnType<ReturnType<typeof startProbe>['stop']>>,
): void {
  const byJob = requestsByJob(record)
  const lines: string[] = ['storm summary']
  for (const provider of PROVIDER_IDS) {
    const jobs = record.jobs.filter((j) => j.provider === provider)
    const failed = jobs.filter((j) => j.status === 'failed')
    const kinds = Object.entries(
      failed.reduce<Record<string, number>>((acc, j) => ({ ...acc, [j.error?.kind ?? '?']: (acc[j.error?.kind ?? '?'] ?? 0) + 1 }), {}),
    )
    const requests = record.requests.filter((r) => r.provider === provider)
    const perKey = [0, 1].map((k) => requests.filter((r) => r.auth.keyIndex === k).length)
    const attempts = jobs.map((j) => byJob.get(j.id)?.length ?? 0)
    const b = billing[provider]
    lines.push(
      `  ${provider}: ${jobs.length} jobs, ${jobs.length - failed.length} succeeded, ${failed.length} failed (${kinds.map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
      `    requests ${requests.length} (key 0: ${perKey[0]}, key 1: ${perKey[1]}, downloads: ${requests.filter((r) => r.route === 'file').length}), ` +
        `most per job ${Math.max(0, ...attempts)}, open at once ${record.peaks[provider]} of ${record.limits[provider].concurrency}, ` +
        `busiest minute ${busiestMinute(record, provider).count} submissions of ${record.limits[provider].requestsPerMinute}`,
      `    faults served: ${Object.entries(served[provider] ?? {}).map(([f, n]) => `${f} ${n}`).join(', ')}`,
      `    billed ${b?.billedImages ?? 0} images ($${b?.billedUsd ?? 0}), kept ${b?.keptImages ?? 0} ($${b?.keptUsd ?? 0} recorded)` +
        (b && Object.keys(b.extra).length > 0 ? `; paid for and not kept: ${Object.entries(b.extra).map(([why, n]) => `${n} (${why})`).join(', ')}` : ''),
    )
  }
  lines.push(
    `  router: ${report.calls} calls, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, slowest ${report.slowestMs} ms`,
    `  event loop delay: mean ${report.loop.meanMs} ms, p50 ${report.loop.p50Ms} ms, p99 ${report.loop.p99Ms} ms, max ${report.loop.maxMs} ms`,
  )
  console.log(lines.join('\n'))
}
