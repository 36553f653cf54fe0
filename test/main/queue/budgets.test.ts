/**
 * Budgets enforced by the queue, over a real library with a scripted provider and fake time: a job
 * that would pass a budget is held (queued, not failed, not charged) with a reason a person can act
 * on; raising or removing the budget, or a new local day, releases it; concurrency never overspends.
 */
import { describe, expect, it } from 'vitest'
import type { BudgetScope } from '../../../src/shared/api'
import { FakeClock } from '../../helpers/fake-clock'
import { queueHarness, type QueueHarness } from '../../helpers/queue-harness'
import { Hold, succeed } from '../../helpers/scripted-dialect'
import { settle, until } from '../../helpers/wait'

const DAILY: BudgetScope = { kind: 'all', period: 'day' }

/** Sets a budget the way budgets.set does (the route also wakes the queue). */
function setBudget(h: QueueHarness, scope: BudgetScope, amount: number, currency = 'USD'): string {
  const budget = h.store.budgets.set({ id: `budget_${amount}_${scope.kind}`, scope, amount, currency, now: h.clock.now() })
  h.queue.poke()
  return budget.id
}

/** Gives the queue every chance to (wrongly) start something. */
async function letQueueRun(h: QueueHarness): Promise<void> {
  for (let i = 0; i < 3; i++) {
    h.queue.poke()
    await settle()
  }
}

const held = (h: QueueHarness, id: string): boolean => h.job(id).status === 'queued' && h.job(id).holdReason !== null

describe('JobQueue: budgets', () => {
  it('holds a job that would pass the daily budget, uncharged, and releases it when the budget is raised', async () => {
    const h = queueHarness()
    setBudget(h, DAILY, 0.1)
    const [a, b, c] = [h.submit({ prompt: 'a' })[0]!, h.submit({ prompt: 'b' })[0]!, h.submit({ prompt: 'c' })[0]!]
    h.queue.start()
    await until(() => h.job(a.id).status === 'succeeded' && h.job(b.id).status === 'succeeded', 'two jobs fit and run')
    await until(() => held(h, c.id), 'the third is held')
    await letQueueRun(h)

    const row = h.job(c.id)
    expect(row).toMatchObject({ status: 'queued', attempts: 0, chargedCost: null, errorKind: null, startedAt: null })
    expect(row.holdReason).toBe(
      'Daily budget of $0.10 reached: $0.08 is spent or running today, and this job needs $0.04. Raise the budget, or wait until tomorrow.',
    )
    expect(h.dialect.calls).toHaveLength(2)
    expect(h.queue.state()).toMatchObject({ held: 1, counts: { queued: 1, succeeded: 2 } })
    // The Queue region hears about it.
    const views = h.events.flatMap((e) => (e.event === 'job.updated' && e.data.id === c.id ? [e.data] : []))
    expect(views.at(-1)?.heldReason).toBe(row.holdReason)

    setBudget(h, DAILY, 0.12)
    await until(() => h.job(c.id).status === 'succeeded', 'the raised budget releases it')
    expect(h.job(c.id)).toMatchObject({ holdReason: null, heldBy: null, chargedCost: 0.04 })
    expect(h.queue.state().held).toBe(0)
  })

  it('releases held jobs when the budget is removed', async () => {
    const h = queueHarness()
    const id = setBudget(h, DAILY, 0.02)
    const [job] = h.submit()
    h.queue.start()
    await until(() => held(h, job!.id), 'the job is held')
    expect(h.job(job!.id).heldBy).toBe(id)
    h.store.budgets.remove(id)
    h.queue.poke()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job runs once the budget is gone')
  })

  it('rolls a daily budget over at local midnight, not at UTC midnight', async () => {
    // 22:00 in Berlin on 14 March (21:00 UTC).
    const clock = new FakeClock(Date.UTC(2025, 2, 14, 21, 0))
    const h = queueHarness({ clock, timeZone: 'Europe/Berlin' })
    setBudget(h, DAILY, 0.05)
    const first = h.submit({ prompt: 'first' })[0]!
    const second = h.submit({ prompt: 'second' })[0]!
    h.queue.start()
    await until(() => h.job(first.id).status === 'succeeded', 'the first job runs')
    await until(() => held(h, second.id), 'the second is held for today')

    clock.advanceTo(Date.UTC(2025, 2, 14, 22, 59, 59)) // 23:59:59 in Berlin
    await letQueueRun(h)
    expect(held(h, second.id)).toBe(true)
    expect(h.dialect.calls).toHaveLength(1)

    clock.advanceTo(Date.UTC(2025, 2, 14, 23, 0, 1)) // 00:00:01 on the 15th in Berlin, still the 14th in UTC
    await until(() => h.job(second.id).status === 'succeeded', 'a new day releases it')
  })

  it('never lets jobs started together pass the budget, and counts a running job at its full estimate', async () => {
    const h = queueHarness({ profile: { concurrency: 4 } })
    setBudget(h, DAILY, 0.1)
    const holds = Array.from({ length: 6 }, () => new Hold())
    h.dialect.script(...holds.map((x) => x.step))
    const jobs = Array.from({ length: 6 }, (_, i) => h.submit({ prompt: `shot ${i}` })[0]!)
    h.queue.start()

    await until(() => h.dialect.active === 2, 'two calls are at the provider')
    await until(() => jobs.filter((j) => held(h, j.id)).length === 4, 'the other four are held')
    await letQueueRun(h)
    expect(h.dialect.calls).toHaveLength(2)

    // The provider reports a higher charge than the table: $0.10 spent, nothing more fits.
    holds[0]!.release(succeed({ chargedCost: 0.05 }))
    holds[1]!.release(succeed({ chargedCost: 0.05 }))
    await until(() => h.queue.state().counts.succeeded === 2, 'both finish')
    await letQueueRun(h)
    expect(h.dialect.calls).toHaveLength(2)
    expect(h.dialect.maxActive).toBe(2)
    expect(jobs.filter((j) => held(h, j.id))).toHaveLength(4)
    expect(h.job(jobs[2]!.id).holdReason).toContain('$0.10 is spent or running today')
  })

  it('holds a job whose price is unknown, saying so, rather than guessing it fits', async () => {
    const h = queueHarness({ profile: { pricing: { currency: 'USD', tiers: [], source: 'no prices' } } })
    setBudget(h, DAILY, 5)
    const [job] = h.submit({ sizes: [{ width: 96, height: 64 }] })
    h.queue.start()
    await until(() => held(h, job!.id), 'the unpriced job is held')
    expect(h.job(job!.id).holdReason).toBe(
      'The price of this job is unknown, so it cannot be checked against the daily budget of $5.00. Set a price for 96x64 in the scripted profile, or remove the budget.',
    )
    expect(h.dialect.calls).toHaveLength(0)
  })

  it('holds a job priced in another currency than the budget: amounts are never converted', async () => {
    const h = queueHarness()
    setBudget(h, DAILY, 100, 'EUR')
    const [job] = h.submit()
    h.queue.start()
    await until(() => held(h, job!.id), 'the job is held')
    expect(h.job(job!.id).holdReason).toMatch(/priced in USD and the daily budget is in EUR; Proofsheet never converts/)
  })

  it('applies a key budget to that key only, in total across days', async () => {
    const h = queueHarness()
    setBudget(h, { kind: 'key', key: '$OTHER_KEY', period: 'total' }, 0)
    const free = h.submit({ prompt: 'not covered' })[0]!
    h.queue.start()
    await until(() => h.job(free.id).status === 'succeeded', 'a job with another key runs')

    setBudget(h, { kind: 'key', key: '$SCRIPTED_KEY', period: 'total' }, 0.06)
    const [job] = h.submit({ prompt: 'covered' })
    await until(() => held(h, job!.id), 'the key budget holds it')
    expect(h.job(job!.id).holdReason).toBe(
      'Budget for key "$SCRIPTED_KEY" of $0.06 reached: $0.04 is spent or running so far, and this job needs $0.04. Raise or remove the budget.',
    )
  })

  it('caps a batch like any other scope (the per-batch budget)', async () => {
    const h = queueHarness({ profile: { concurrency: 1 } })
    const jobs = h.submit({ sizes: [{ width: 64, height: 64 }, { width: 96, height: 64 }, { width: 64, height: 96 }] })
    const batchId = jobs[0]!.batchId!
    setBudget(h, { kind: 'batch', batchId, period: 'total' }, 0.08)
    h.queue.start()
    await until(() => h.queue.state().counts.succeeded === 2 && held(h, jobs[2]!.id), 'two run, the third is held')
    expect(h.job(jobs[2]!.id).holdReason).toMatch(/^Batch budget of \$0\.08 reached: .* Raise or remove the batch's cap, or cancel the rest of the batch\.$/)
  })

  it('counts the queue idle when only held jobs are left, and a canceled held job is no longer held', async () => {
    const h = queueHarness()
    setBudget(h, DAILY, 0)
    const [job] = h.submit()
    h.queue.start()
    await h.queue.whenIdle()
    expect(held(h, job!.id)).toBe(true)
    expect(h.queue.cancel(job!.id)).toBe(true)
    expect(h.job(job!.id)).toMatchObject({ status: 'canceled', holdReason: null })
    expect(h.queue.state().held).toBe(0)
  })
})
