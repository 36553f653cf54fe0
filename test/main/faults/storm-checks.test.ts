/**
 * The storm's checks must be able to fail: each rule is fed a small made-up record that keeps it
 * and one that breaks it.
 */
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../../src/shared/api'
import { adviceFor } from '../../../src/main/core/providers/http/error-mapping'
import { PROVIDER_IDS, type Charge, type Fault, type LoggedRequest, type ProviderId } from '../../provider-server'
import { checkBackoff, checkBilling, checkConcurrency, checkOutcomes, checkRequestsPerMinute, checkRetryAfter, TRANSIT_MS, type StormRecord } from './storm-checks'

let seq = 0

function request(at: number, over: Partial<LoggedRequest> & { prompt?: string } = {}): LoggedRequest {
  const { prompt = 'job a', ...rest } = over
  return {
    seq: ++seq,
    provider: 'gettoken',
    route: 'generations',
    method: 'POST',
    path: '/gettoken/image/v1/images/generations',
    headers: {},
    auth: { scheme: 'bearer', matched: true, keyIndex: 0 },
    body: { kind: 'json', value: { prompt } },
    status: 200,
    reset: false,
    fault: null,
    accepted: true,
    receivedAt: at,
    endedAt: at + 10,
    ...rest,
  }
}

function faulted(at: number, fault: Fault, status: number, prompt = 'job a'): LoggedRequest {
  return request(at, { fault, status, prompt })
}

function job(over: Partial<JobView> = {}): JobView {
  return {
    id: `job_${over.prompt ?? 'job a'}`,
    batchId: null,
    provider: 'gettoken',
    keyLabel: 'k',
    prompt: 'job a',
    size: '1024x1024',
    format: 'png',
    n: 1,
    status: 'succeeded',
    attempts: 1,
    maxAttempts: 3,
    nextAttemptAt: null,
    error: null,
    estimatedCost: 0.804,
    chargedCost: 0.804,
    currency: 'USD',
    createdAt: 0,
    startedAt: 0,
    finishedAt: 1,
    typicalLatencyMs: 1000,
    imageIds: ['img_1'],
    ...over,
  }
}

function charge(r: LoggedRequest, usd = 0.804): Charge {
  return { provider: 'gettoken', requestSeq: r.seq, images: 1, usd, basis: 'test' }
}

function record(requests: LoggedRequest[], jobs: JobView[], charges: Charge[] = [], peaks: Partial<Record<ProviderId, number>> = {}): StormRecord {
  const all = Object.fromEntries(PROVIDER_IDS.map((p) => [p, charges.filter((c) => c.provider === p)])) as Record<ProviderId, Charge[]>
  return {
    requests,
    tasks: [],
    charges: all,
    jobs,
    limits: { gettoken: { concurrency: 1, requestsPerMinute: 2 } } as StormRecord['limits'],
    peaks: { gettoken: 0, ...peaks } as StormRecord['peaks'],
  }
}

describe('storm checks', () => {
  it('finds more requests open at once than the profile allows', () => {
    expect(checkConcurrency(record([], [], [], { gettoken: 1 }))).toEqual([])
    expect(checkConcurrency(record([], [], [], { gettoken: 2 }))).toEqual(['gettoken: 2 requests open at once, the profile allows 1'])
  })

  it('finds more submissions in a minute than the limit, not counting polls', () => {
    const spread = [request(0), request(30_000), request(61_000)]
    expect(checkRequestsPerMinute(record(spread, []))).toEqual([])
    const polls = [request(0), request(1000), request(2000, { route: 'poll', method: 'GET' })]
    expect(checkRequestsPerMinute(record(polls, []))).toEqual([])
    expect(checkRequestsPerMinute(record([request(0), request(20_000), request(40_000)], []))).toHaveLength(1)
  })

  it('finds the same job or another coming back before a Retry-After has passed', () => {
    const limited = faulted(1000, { status: 429, retryAfterSeconds: 3 }, 429)
    const sentAt = limited.endedAt!
    const onTime = [limited, request(sentAt + 3000), request(sentAt + 3100, { prompt: 'job b' })]
    expect(checkRetryAfter(record(onTime, [job(), job({ prompt: 'job b' })]))).toEqual([])
    // Already on its way when the 429 went out: allowed.
    const inTransit = [limited, request(sentAt + TRANSIT_MS / 2, { prompt: 'job b' }), request(sentAt + 3000)]
    expect(checkRetryAfter(record(inTransit, [job(), job({ prompt: 'job b' })]))).toEqual([])
    const early = [limited, request(sentAt + 2000), request(sentAt + 2500, { prompt: 'job b' })]
    expect(checkRetryAfter(record(early, [job(), job({ prompt: 'job b' })]))).toHaveLength(2)
  })

  it('finds an attempt that came back before the backoff floor', () => {
    const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }
    const first = faulted(0, { status: 503 }, 503)
    const patient = [first, request(first.endedAt! + 500), faulted(5000, { status: 503 }, 503)]
    expect(checkBackoff(record(patient, [job({ attempts: 2 })]), policy)).toEqual([])
    const hasty = [first, request(first.endedAt! + 200)]
    expect(checkBackoff(record(hasty, [job({ attempts: 2 })]), policy)).toEqual([expect.stringContaining('backoff floor 500 ms')])
  })

  it('finds a final fault retried, a retryable one given up early, a wrong kind, and an unfinished job', () => {
    const auth = { kind: 'auth' as const, code: 'model_access_denied', message: `G said: no. ${adviceFor('auth')}` }
    const good = [faulted(0, { status: 403 }, 403)]
    expect(checkOutcomes(record(good, [job({ status: 'failed', error: auth, imageIds: [], chargedCost: 0 })]))).toEqual([])

    const retried = [faulted(0, { status: 403 }, 403), request(5000)]
    expect(checkOutcomes(record(retried, [job({ attempts: 2 })]))).toEqual([expect.stringContaining('retried after {status: 403}')])

    const down = { kind: 'provider_down' as const, code: 'server_error', message: `G said: busy. ${adviceFor('provider_down')}` }
    const gaveUp = [faulted(0, { status: 503 }, 503)]
    expect(checkOutcomes(record(gaveUp, [job({ status: 'failed', error: down, imageIds: [], chargedCost: 0 })]))).toEqual([
      expect.stringContaining('gave up on a provider_down failure after 1 of 3 attempts'),
    ])

    const wrongKind = [faulted(0, 'content-policy', 400)]
    const asInput = { kind: 'input' as const, code: 'x', message: `G said: flagged. ${adviceFor('input')}` }
    expect(checkOutcomes(record(wrongKind, [job({ status: 'failed', error: asInput, imageIds: [], chargedCost: 0 })]))).toEqual([
      expect.stringContaining("'content-policy' gave kind input, expected content_policy"),
      expect.stringContaining('does not say what to do'),
    ])

    expect(checkOutcomes(record([request(0)], [job({ status: 'queued' })]))).toEqual(['gettoken "job a" ended queued'])
  })

  it('finds an image kept that nobody billed, and a recorded charge that differs from the bill', () => {
    const paid = request(0)
    expect(checkBilling(record([paid], [job()], [charge(paid)])).breaches).toEqual([])
    expect(checkBilling(record([paid], [job()], [])).breaches).toEqual([
      'gettoken "job a": kept 1 images, the provider billed 0',
      'gettoken "job a": succeeded with no charge at the provider',
    ])
    expect(checkBilling(record([paid], [job({ chargedCost: 1.206 })], [charge(paid)])).breaches).toEqual([
      'gettoken "job a": recorded 1.206 charged, the provider billed 0.804',
    ])
    // Billed for a reply that could not be used, then paid again: counted, not hidden.
    const cut = request(0, { fault: 'truncated-base64' })
    const again = request(1000)
    const report = checkBilling(record([cut, again], [job({ attempts: 2 })], [charge(cut), charge(again)]))
    expect(report.breaches).toEqual([])
    expect(report.perProvider.gettoken).toMatchObject({ billedImages: 2, keptImages: 1, extra: { 'reply cut off or unusable': 1 } })
    // A whole image billed and then dropped is the engine's fault.
    const whole = request(0)
    expect(checkBilling(record([whole, again], [job({ attempts: 2 })], [charge(whole), charge(again)])).breaches).toEqual([
      expect.stringContaining('answered a usable image that was not kept'),
    ])
  })
})
