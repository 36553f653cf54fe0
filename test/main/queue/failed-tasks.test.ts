/**
 * ToAPIs tasks that fail upstream (`generation_failed`), against the provider test server with
 * failed tasks billed (its page promises no refund): the queue resubmits once per job on its own,
 * never more, also across a restart or crash recovery; the job says so and counts the failed task
 * in its cost; a second failure ends the job with Retry left to the user.
 */
import { describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../../../src/main/core/clock'
import { call } from '../../helpers/engine'
import { useProviderServer } from '../../helpers/provider-server-per-file'
import { TOAPIS_PRICE_1K, toapisJobs } from '../../helpers/toapis-jobs'
import { tempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/wait'
import type { ProviderServer } from '../../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const PRICE_1K = TOAPIS_PRICE_1K
const { engineFor, generate, settled } = toapisJobs(() => server)

/** Every ToAPIs submission from now on ends `failed` upstream. */
function everyTaskFails(): void {
  server.setFaultSource(({ provider, route }) => (provider === 'toapis' && route === 'generations' ? { fault: 'task-failed' } : null))
}

function billed(): void {
  server.configure({ toapis: { failedTaskBilling: 'billed', statusesBeforeCompletion: ['in_progress'] } })
}

describe('a ToAPIs task that fails upstream', () => {
  it('is resubmitted exactly once; the second failure fails the job, says so, counts both tasks, and leaves Retry to the user', async () => {
    billed()
    everyTaskFails()
    const engine = await engineFor(tempDir('proofsheet-failed-task-'))
    const prompt = 'failed task: always fails'
    const id = await generate(engine, prompt)
    const job = await settled(engine, id)

    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    expect(job.status).toBe('failed')
    expect(job.error).toMatchObject({ kind: 'provider_down', code: 'task_failed' })
    expect(job.error!.message).toMatch(/resubmitted once already/)
    expect(job.error!.message).toMatch(/retry it only if you want to pay for another try/)
    expect(job.failedTasks).toMatchObject({ count: 2, resubmitted: 1 })
    expect(job.failedTasks!.note).toMatch(/ToAPIs failed the task upstream twice; resubmitted once/)
    // What the job says it may have cost is what the provider billed.
    expect(job.failedTasks!.possibleCost).toBeCloseTo(server.billed('toapis').usd, 9)
    expect(job.failedTasks!.possibleCost).toBeCloseTo(2 * PRICE_1K, 9)
    expect(job.chargedCost).toBe(0)
    expect(job.estimatedCost).toBeCloseTo(2 * PRICE_1K, 9)

    // Retry is the user's decision: one more submission, and no resubmission on its own after it.
    await call(engine, 'jobs.retry', { id })
    const again = await settled(engine, id)
    expect(again.status).toBe('failed')
    expect(server.submissionsFor('toapis', prompt)).toBe(3)
    expect(again.failedTasks).toMatchObject({ count: 3, resubmitted: 1 })
  })

  it('that fails once and then succeeds: the job says it was resubmitted and may be billed twice', async () => {
    billed()
    server.inject('toapis', 'task-failed', { on: 'generations' })
    const engine = await engineFor(tempDir('proofsheet-failed-task-'))
    const prompt = 'failed task: fails once'
    const job = await settled(engine, await generate(engine, prompt))

    expect(job.status).toBe('succeeded')
    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    expect(job.failedTasks).toMatchObject({ count: 1, resubmitted: 1, possibleCost: PRICE_1K })
    expect(job.failedTasks!.note).toMatch(/^ToAPIs failed the task upstream; resubmitted once \(may be billed twice\)/)
    expect(job.chargedCost).toBeCloseTo(PRICE_1K, 9)
    // The estimate includes the failed task, and so does the provider's bill.
    expect(job.estimatedCost).toBeCloseTo(2 * PRICE_1K, 9)
    expect(server.billed('toapis').usd).toBeCloseTo(job.chargedCost! + job.failedTasks!.possibleCost!, 9)
  })

  it('is not resubmitted a second time after a restart between the failure and the resubmission', async () => {
    billed()
    everyTaskFails()
    const home = tempDir('proofsheet-failed-task-')
    const prompt = 'failed task: restart before the resubmission'
    // The first runner waits a minute before resubmitting, and stops (as in a crash) meanwhile.
    const first = await engineFor(home, { retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 } })
    const id = await generate(first, prompt)
    await until(async () => (await call(first, 'jobs.get', { id })).failedTasks?.count === 1, 'the first task failed and was counted')
    await first.close()
    expect(server.submissionsFor('toapis', prompt)).toBe(1)

    // The next runner starts after the resubmission came due (its clock is two minutes on).
    const later: Clock = { now: () => systemClock.now() + 120_000, sleep: systemClock.sleep }
    const second = await engineFor(home, { clock: later })
    const job = await settled(second, id)
    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    expect(job).toMatchObject({ status: 'failed', failedTasks: { count: 2, resubmitted: 1 } })
  })

  it('is not resubmitted twice when the process stopped before it saw the failure (the saved task is polled, then resubmitted once)', async () => {
    billed()
    everyTaskFails()
    // The task runs long enough for the first runner to stop while it is in flight.
    server.configure({ toapis: { statusesBeforeCompletion: ['in_progress', 'in_progress', 'in_progress'] } })
    const home = tempDir('proofsheet-failed-task-')
    const prompt = 'failed task: restart while polling'
    const first = await engineFor(home, { asyncTaskPolling: { firstPollMs: 60_000, pollEveryMs: 60_000 } })
    const id = await generate(first, prompt)
    await until(async () => (await call(first, 'jobs.get', { id })).polling === true, 'the task was submitted and is being polled')
    await first.close()

    const second = await engineFor(home)
    const job = await settled(second, id)
    expect(server.submissionsFor('toapis', prompt)).toBe(2)
    expect(job).toMatchObject({ status: 'failed', failedTasks: { count: 2, resubmitted: 1 } })
    expect(server.tasks.filter((t) => t.prompt === prompt).map((t) => t.status)).toEqual(['failed', 'failed'])
  })
})
