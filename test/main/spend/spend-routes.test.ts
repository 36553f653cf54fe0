/**
 * spend.*, budgets.* and the budget warning of jobs.estimate, through the engine's router as every
 * door calls them: a real library (seeded with finished jobs through the repositories), fake time.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/main/core/engine'
import { call, openEngine as openLibrary, refused } from '../../helpers/engine'
import { Store } from '../../../src/main/core/store/store'
import { FakeClock } from '../../helpers/fake-clock'
import { spentJob } from '../../helpers/spend-rows'
import { tempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/wait'

// 09:30 UTC on 14 March 2025; the engine counts days in UTC here.
const NOW = Date.UTC(2025, 2, 14, 9, 30)
const HOUR = 3_600_000

/** A library with $4.90 of openai spending today (key "studio") and $1.00 yesterday. */
function seededHome(): string {
  const home = tempDir('proofsheet-spend-routes-')
  const store = Store.open(join(home, 'library.sqlite'))
  spentJob(store, { id: 'job_today', provider: 'openai', keyLabel: 'studio', estimate: 4.9, charged: 4.9, startedAt: NOW - HOUR })
  spentJob(store, { id: 'job_yesterday', provider: 'openai', keyLabel: 'studio', estimate: 1, charged: 1, startedAt: NOW - 24 * HOUR })
  spentJob(store, { id: 'job_unpriced', provider: 'tokensmart', keyLabel: 'studio', estimate: null, charged: null, startedAt: NOW - 2 * HOUR })
  store.close()
  return home
}

function openEngine(home: string): Promise<Engine> {
  return openLibrary(home, {
    clock: new FakeClock(NOW),
    timeZone: 'UTC',
    // No call may reach a network in these tests.
    fetch: () => Promise.reject(new Error('no network in this test')),
  })
}

const openaiEstimate = (over: Record<string, unknown> = {}) => ({ provider: 'openai', sizes: [{ width: 1024, height: 1024 }], ...over })

describe('spend.summary', () => {
  it('reports the last N local days with known and unknown amounts apart', async () => {
    const engine = await openEngine(seededHome())
    const s = await call(engine, 'spend.summary', { lastDays: 2 })
    expect(s).toMatchObject({ from: '2025-03-13', to: '2025-03-14', today: '2025-03-14', timeZone: 'UTC' })
    expect(s.total.charged).toEqual([{ currency: 'USD', amount: 5.9, unknown: 1 }])
    expect(s.byDay.map((d) => [d.day, d.figures.charged])).toEqual([
      ['2025-03-13', [{ currency: 'USD', amount: 1, unknown: 0 }]],
      ['2025-03-14', [{ currency: 'USD', amount: 4.9, unknown: 1 }]],
    ])
    expect(s.byKey.map((k) => k.key)).toEqual(['studio'])
    expect(s.byProvider.map((p) => p.provider)).toEqual(['openai', 'tokensmart'])
  })

  it('defaults to 30 days, and refuses a range that is backwards, half given or too long, naming the field', async () => {
    const engine = await openEngine(seededHome())
    expect(await call(engine, 'spend.summary', {})).toMatchObject({ from: '2025-02-13', to: '2025-03-14' })
    expect(await refused(engine, 'spend.summary', { from: '2025-03-14', to: '2025-03-01' })).toMatchObject({ code: 'bad_input', field: 'to' })
    expect(await refused(engine, 'spend.summary', { from: '2025-03-01' })).toMatchObject({ field: 'to' })
    expect(await refused(engine, 'spend.summary', { from: '2023-01-01', to: '2025-01-01' })).toMatchObject({ field: 'from' })
    expect(await refused(engine, 'spend.summary', { from: '2025-02-30', to: '2025-03-01' })).toMatchObject({ field: 'from' })
    expect(await refused(engine, 'spend.summary', { lastDays: 7, from: '2025-03-01', to: '2025-03-02' })).toMatchObject({ field: 'lastDays' })
  })
})

describe('budgets.set, budgets.list, budgets.remove', () => {
  it("sets a daily budget and reports today's use, with unpriced jobs counted apart", async () => {
    const engine = await openEngine(seededHome())
    const set = await call(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 5 })
    expect(set).toMatchObject({ label: 'Daily budget', amount: 5, currency: 'USD', spent: 4.9, queued: 0, uncounted: 1, held: 0, day: '2025-03-14' })
    await call(engine, 'budgets.set', { scope: { kind: 'key', key: 'studio', period: 'total' }, amount: 20, currency: 'USD' })
    const list = await call(engine, 'budgets.list', {})
    expect(list.budgets.map((b) => [b.label, b.spent, b.day])).toEqual([
      ['Daily budget', 4.9, '2025-03-14'],
      ['Budget for key "studio"', 5.9, null],
    ])
    expect(list).toMatchObject({ today: '2025-03-14', timeZone: 'UTC' })

    // Setting the same scope again changes it, keeping its id.
    const raised = await call(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 8 })
    expect(raised).toMatchObject({ id: set.id, amount: 8 })
    expect(await call(engine, 'budgets.remove', { id: set.id })).toEqual({ removed: true })
    expect(await call(engine, 'budgets.remove', { id: set.id })).toEqual({ removed: false })
    expect((await call(engine, 'budgets.list', {})).budgets).toHaveLength(1)
  })

  it('refuses bad budgets with the field and the fix', async () => {
    const engine = await openEngine(seededHome())
    expect(await refused(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: -1 })).toMatchObject({
      code: 'bad_input',
      field: 'amount',
      message: 'amount: amount cannot be negative',
    })
    expect(await refused(engine, 'budgets.set', { scope: { kind: 'key', key: ' ', period: 'day' }, amount: 5 })).toMatchObject({ field: 'scope.key' })
    expect(await refused(engine, 'budgets.set', { scope: { kind: 'all', period: 'week' }, amount: 5 })).toMatchObject({ field: 'scope.period' })
    expect(await refused(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 5, currency: 'usd' })).toMatchObject({ field: 'currency' })
    expect(await refused(engine, 'budgets.set', { scope: { kind: 'batch', batchId: 'batch_nope' }, amount: 5 })).toMatchObject({
      field: 'scope.batchId',
      message: 'No batch with id batch_nope.',
    })
  })

  it('holds a queued job that passes the budget, shows why, and counts it on the budget', async () => {
    const engine = await openEngine(seededHome())
    const budget = await call(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 5 })
    const { jobs } = await call(engine, 'jobs.generate', { ...openaiEstimate(), prompt: 'mug', key: { keyEnv: 'OPENAI_KEY' } })
    const id = jobs[0]!.id
    await until(async () => (await call(engine, 'jobs.get', { id })).heldReason != null, 'the job is held')
    const job = await call(engine, 'jobs.get', { id })
    expect(job).toMatchObject({ status: 'queued', attempts: 0, chargedCost: null })
    expect(job.heldReason).toBe(
      'Daily budget of $5.00 reached: $4.90 is spent or running today, and this job needs $0.22. Raise the budget, or wait until tomorrow.',
    )
    expect(await call(engine, 'queue.state', {})).toMatchObject({ held: 1 })
    const [status] = (await call(engine, 'budgets.list', {})).budgets
    expect(status).toMatchObject({ id: budget.id, held: 1, queued: 0.22 })
  })
})

describe('jobs.estimate budget warnings', () => {
  it('warns when queueing would pass the daily budget, counting what is spent, running and queued', async () => {
    const engine = await openEngine(seededHome())
    expect((await call(engine, 'jobs.estimate', openaiEstimate())).budgetWarnings).toBeUndefined()
    const budget = await call(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 5 })
    const estimate = await call(engine, 'jobs.estimate', openaiEstimate())
    expect(estimate.total).toBe(0.22)
    expect(estimate.budgetWarnings).toEqual([
      {
        budgetId: budget.id,
        message:
          'This passes the daily budget of $5.00: $4.90 is spent, running or queued today, and this adds $0.22. Jobs past the budget will be held, not run.',
      },
    ])
    await call(engine, 'budgets.set', { scope: { kind: 'all', period: 'day' }, amount: 5.12 })
    expect((await call(engine, 'jobs.estimate', openaiEstimate())).budgetWarnings).toBeUndefined()
  })

  it("applies a key budget only to that key's work, and warns before unpriced work under a budget", async () => {
    const engine = await openEngine(seededHome())
    await call(engine, 'budgets.set', { scope: { kind: 'key', key: '$STUDIO_KEY', period: 'day' }, amount: 0.3 })
    const other = await call(engine, 'jobs.estimate', openaiEstimate({ key: { keyEnv: 'OTHER_KEY' } }))
    expect(other.budgetWarnings).toBeUndefined()
    const two = await call(engine, 'jobs.estimate', openaiEstimate({ key: { keyEnv: 'STUDIO_KEY' }, n: 2 }))
    expect(two.budgetWarnings?.[0]?.message).toMatch(/^This passes the daily budget for key "\$STUDIO_KEY" of \$0\.30/)

    const unpriced = await call(engine, 'jobs.estimate', { provider: 'tokensmart', sizes: [{ width: 1024, height: 1024 }], key: { keyEnv: 'STUDIO_KEY' } })
    expect(unpriced.total).toBeNull()
    expect(unpriced.budgetWarnings?.[0]?.message).toBe(
      'These jobs would be held: the price of this job is unknown, so it cannot be checked against the daily budget for key "$STUDIO_KEY" of $0.30. Set a price for 1024x1024 in the tokensmart profile, or remove the budget.',
    )
  })
})
