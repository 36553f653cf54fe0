/**
 * Spend by key, provider and local day, read from a real library: known and unknown prices, two
 * currencies, day boundaries in the user's time zone, and the indexes the queries rely on.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Calendar } from '../../../src/main/core/spend/calendar'
import { spendSummary } from '../../../src/main/core/spend/spend-summary'
import { committedSql, pendingSql, SUMMARY_SQL } from '../../../src/main/core/store/spend-repo'
import { Store } from '../../../src/main/core/store/store'
import { spentJob } from '../../helpers/spend-rows'
import { newJob } from '../../helpers/store-rows'
import { queryPlan } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const berlin = new Calendar('Europe/Berlin')
// 10:00 in Berlin on Friday 14 March 2025.
const NOW = Date.UTC(2025, 2, 14, 9, 0)
const at = (day: string, hour: number): number => berlin.startOf(day) + hour * 3_600_000

function library(): Store {
  const store = Store.open(join(tempDir('proofsheet-spend-'), 'library.sqlite'))
  return store
}

function seed(store: Store): void {
  spentJob(store, { id: 'job_a', provider: 'openai', keyLabel: 'studio', estimate: 0.22, charged: 0.22, startedAt: at('2025-03-12', 10) })
  // No published price: estimate and charge unknown, not zero.
  spentJob(store, { id: 'job_b', provider: 'tokensmart', keyLabel: 'studio', estimate: null, charged: null, startedAt: at('2025-03-13', 9) })
  spentJob(store, { id: 'job_c', provider: 'eurobot', keyLabel: 'client-b', currency: 'EUR', estimate: 1.5, charged: 1.4, startedAt: at('2025-03-13', 15) })
  // 23:30 UTC on the 13th is half past midnight on the 14th in Berlin.
  spentJob(store, { id: 'job_d', provider: 'openai', keyLabel: 'client-b', estimate: 0.22, status: 'failed', startedAt: Date.UTC(2025, 2, 13, 23, 30) })
  spentJob(store, { id: 'job_e', provider: 'demo', keyLabel: null, estimate: 0, charged: 0, startedAt: at('2025-03-14', 8) })
  // Outside the range, and never started: neither is spend in the last 7 days.
  spentJob(store, { id: 'job_old', provider: 'openai', keyLabel: 'studio', estimate: 5, charged: 5, startedAt: at('2025-03-01', 12) })
  store.jobs.insertMany([newJob({ id: 'job_waiting', provider: 'openai', estimatedCost: 9, createdAt: at('2025-03-14', 9) })])
}

describe('spend.summary figures', () => {
  it('totals per currency, with unknown amounts counted apart instead of as zero', () => {
    const store = library()
    seed(store)
    const s = spendSummary(store.spend, berlin, NOW, { lastDays: 7 })
    expect(s).toMatchObject({ from: '2025-03-08', to: '2025-03-14', today: '2025-03-14', timeZone: 'Europe/Berlin' })
    expect(s.total).toEqual({
      jobs: 5,
      estimated: [
        { currency: 'EUR', amount: 1.5, unknown: 0 },
        { currency: 'USD', amount: 0.44, unknown: 1 },
      ],
      charged: [
        { currency: 'EUR', amount: 1.4, unknown: 0 },
        // The failed call cost nothing; the unpriced one is unknown.
        { currency: 'USD', amount: 0.22, unknown: 1 },
      ],
    })
    store.close()
  })

  it('groups by key label and by provider', () => {
    const store = library()
    seed(store)
    const s = spendSummary(store.spend, berlin, NOW, { lastDays: 7 })
    expect(s.byKey.map((k) => [k.key, k.figures.jobs, k.figures.charged])).toEqual([
      ['client-b', 2, [{ currency: 'EUR', amount: 1.4, unknown: 0 }, { currency: 'USD', amount: 0, unknown: 0 }]],
      ['studio', 2, [{ currency: 'USD', amount: 0.22, unknown: 1 }]],
      [null, 1, [{ currency: 'USD', amount: 0, unknown: 0 }]],
    ])
    expect(s.byProvider.map((p) => [p.provider, p.figures.jobs, p.figures.estimated])).toEqual([
      ['demo', 1, [{ currency: 'USD', amount: 0, unknown: 0 }]],
      ['eurobot', 1, [{ currency: 'EUR', amount: 1.5, unknown: 0 }]],
      ['openai', 2, [{ currency: 'USD', amount: 0.44, unknown: 0 }]],
      ['tokensmart', 1, [{ currency: 'USD', amount: 0, unknown: 1 }]],
    ])
    store.close()
  })

  it('lists every local day of the range, the empty ones too, and dates jobs by the local day they started', () => {
    const store = library()
    seed(store)
    const s = spendSummary(store.spend, berlin, NOW, { lastDays: 7 })
    expect(s.byDay.map((d) => [d.day, d.figures.jobs])).toEqual([
      ['2025-03-08', 0],
      ['2025-03-09', 0],
      ['2025-03-10', 0],
      ['2025-03-11', 0],
      ['2025-03-12', 1],
      ['2025-03-13', 2],
      ['2025-03-14', 2],
    ])
    expect(s.byDay[0]!.figures).toEqual({ jobs: 0, estimated: [], charged: [] })
    // In UTC the failed job belongs to the 13th instead.
    const utc = spendSummary(store.spend, new Calendar('UTC'), NOW, { from: '2025-03-13', to: '2025-03-14' })
    expect(utc.byDay.map((d) => [d.day, d.figures.jobs])).toEqual([
      ['2025-03-13', 3],
      ['2025-03-14', 1],
    ])
    store.close()
  })

  it('takes an explicit range, and reads a day as a half-open interval', () => {
    const store = library()
    spentJob(store, { id: 'job_midnight', estimate: 0.04, charged: 0.04, startedAt: berlin.startOf('2025-03-13') })
    spentJob(store, { id: 'job_late', estimate: 0.04, charged: 0.04, startedAt: berlin.startOf('2025-03-13') - 1 })
    const s = spendSummary(store.spend, berlin, NOW, { from: '2025-03-13', to: '2025-03-13' })
    expect(s.byDay).toEqual([
      { day: '2025-03-13', figures: { jobs: 1, estimated: [{ currency: 'USD', amount: 0.04, unknown: 0 }], charged: [{ currency: 'USD', amount: 0.04, unknown: 0 }] } },
    ])
    store.close()
  })
})

describe('spend queries use indexes', () => {
  it('reads a range of days through the started_at index, never the whole jobs table', () => {
    const store = library()
    const plan = queryPlan(store.db, SUMMARY_SQL, { days: JSON.stringify([['2025-03-14', 0, 1]]) })
    expect(plan).toContain('SEARCH jobs USING INDEX jobs_by_started (started_at>? AND started_at<?)')
    expect(plan.some((line) => line.startsWith('SCAN jobs'))).toBe(false)
    store.close()
  })

  it.each([
    ['all', committedSql('all'), { start: 0, end: 1 }, 'jobs_by_started'],
    ['key', committedSql('key'), { start: 0, end: 1, target: 'studio' }, 'jobs_by_key_started'],
    ['batch', committedSql('batch'), { start: 0, end: 1, target: 'batch_1' }, 'jobs_by_batch'],
    ['queued, all', pendingSql('all'), {}, 'jobs_by_status'],
    ['queued, key', pendingSql('key'), { target: 'studio' }, 'jobs_by_key_started'],
  ])('budget usage (%s) searches %s', (_name, sql, args, index) => {
    const store = library()
    const plan = queryPlan(store.db, sql, args)
    expect(plan.find((line) => line.startsWith('SEARCH jobs'))).toContain(`USING INDEX ${index}`)
    expect(plan.some((line) => line.startsWith('SCAN jobs'))).toBe(false)
    store.close()
  })
})

describe('tasks a provider failed upstream', () => {
  it('count against budgets at their possible cost, beside the charge, once', () => {
    const store = library()
    const error = { kind: 'provider_down' as const, code: 'task_failed', message: 'failed upstream' }
    const start = at('2025-03-14', 9)
    store.jobs.insertMany([
      newJob({ id: 'job_failed_twice', provider: 'toapis', estimatedCost: 0.015, createdAt: start - 1000 }),
      newJob({ id: 'job_failed_once', provider: 'toapis', estimatedCost: 0.015, createdAt: start - 999 }),
    ])
    // Failed, resubmitted, failed again: nothing charged, two tasks that may be billed.
    store.jobs.claim('job_failed_twice', start)
    store.jobs.taskFailed('job_failed_twice', { error, possibleCost: 0.015, resubmitAt: start + 10 }, start + 5)
    store.jobs.claim('job_failed_twice', start + 10)
    store.jobs.taskFailed('job_failed_twice', { error, possibleCost: 0.015, resubmitAt: null }, start + 20)
    // Failed once, resubmitted, now running: its estimate holds both tasks, not counted twice.
    store.jobs.claim('job_failed_once', start)
    store.jobs.taskFailed('job_failed_once', { error, possibleCost: 0.015, resubmitAt: start + 10 }, start + 5)
    store.jobs.claim('job_failed_once', start + 10)

    const [usd] = store.spend.committedIn('all', '', { start: start - 1, end: start + 1000 })
    expect(usd).toMatchObject({ currency: 'USD', jobs: 2, unknown: 0 })
    expect(usd!.amount).toBeCloseTo(0.03 + 0.03, 9)
    store.close()
  })
})
