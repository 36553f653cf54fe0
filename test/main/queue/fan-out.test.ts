/**
 * Issue 15, fan-out: the split calls of one job (ToAPIs takes one image per task, so n = 4 is four
 * tasks) run side by side within the provider's concurrency instead of one after another. Against
 * the provider test server: the tasks are all submitted before any image is fetched and are open
 * at the server together, the images land under seqs 0..n-1, the charge is the sum, a task failed
 * upstream is resubmitted once. With the scripted provider and the fake clock: a stop between
 * submissions resumes every saved task and submits only what was never sent; a call sent without
 * its task id coming back leaves the job interrupted, and Retry still polls the saved tasks. A sync
 * provider's split calls overlap too, within its concurrency and its calls per minute, each saved as
 * it lands, and a cancel leaves the calls not yet sent unsent.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { succeed, type Step } from '../../helpers/scripted-dialect'
import { useProviderServer } from '../../helpers/provider-server-per-file'
import { TOAPIS_PRICE_1K, toapisJobs } from '../../helpers/toapis-jobs'
import { queueHarness } from '../../helpers/queue-harness'
import { tempDir } from '../../helpers/temp-dir'
import { settle, until } from '../../helpers/wait'
import type { ProviderServer } from '../../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const PRICE_1K = TOAPIS_PRICE_1K
const { engineFor, generate, settled } = toapisJobs(() => server)

function readLibrary<T>(home: string, read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

function imageSeqs(home: string, jobId: string): number[] {
  return readLibrary(home, (db) => db.prepare('SELECT seq FROM images WHERE job_id = ? ORDER BY seq').pluck().all(jobId) as number[])
}

/** The ToAPIs task ids the job's row keeps, whatever form the row holds them in. */
function savedTaskIds(home: string, jobId: string): string[] {
  const value = readLibrary(home, (db) => db.prepare('SELECT remote_task_id FROM jobs WHERE id = ?').pluck().get(jobId) as string | null)
  if (value === null) return []
  return value.startsWith('{') ? Object.values(JSON.parse(value) as Record<string, string>).filter((t) => t !== '') : [value]
}

describe('the split calls of one ToAPIs job', () => {
  it('are all submitted before any image is fetched, and are open at the provider together', async () => {
    // Every submission is held at the server a while: calls made one after another never overlap.
    server.inject('toapis', 'slow', { on: 'generations', times: 4, delayMs: 300 })
    const home = tempDir('proofsheet-fan-out-')
    const engine = await engineFor(home)
    const prompt = 'fan-out: four tasks at once'
    const job = await settled(engine, await generate(engine, prompt, 4))

    expect(job.status).toBe('succeeded')
    const submissions = server.requestsTo('toapis', 'generations').filter((r) => r.method === 'POST')
    const downloads = server.requestsTo('toapis', 'file')
    expect(submissions).toHaveLength(4)
    expect(downloads).toHaveLength(4)
    // The last submission arrived before the first finished task's image was fetched.
    expect(Math.max(...submissions.map((r) => r.seq))).toBeLessThan(Math.min(...downloads.map((r) => r.seq)))
    expect(server.inFlight('toapis').peak).toBeGreaterThanOrEqual(4)
    await engine.close()
  })

  it('save their images under seqs 0..n-1, one per task, and the job is charged the sum', async () => {
    const home = tempDir('proofsheet-fan-out-')
    const engine = await engineFor(home)
    const prompt = 'fan-out: seqs and charge'
    const id = await generate(engine, prompt, 4)
    const job = await settled(engine, id)

    expect(job.status).toBe('succeeded')
    expect(imageSeqs(home, id)).toEqual([0, 1, 2, 3])
    expect(server.submissionsFor('toapis', prompt)).toBe(4)
    expect(job.chargedCost).toBeCloseTo(4 * PRICE_1K, 9)
    expect(server.billed('toapis').usd).toBeCloseTo(job.chargedCost!, 9)
    // Every task is over and recorded: none is left on the row to be fetched again.
    expect(savedTaskIds(home, id)).toEqual([])
    await engine.close()
  })

  it('resubmit a task that failed upstream once, keep the images of the others, and fill the missing seq', async () => {
    server.configure({ toapis: { failedTaskBilling: 'billed' } })
    server.inject('toapis', 'task-failed', { on: 'generations' })
    const home = tempDir('proofsheet-fan-out-')
    const engine = await engineFor(home)
    const prompt = 'fan-out: one task fails upstream'
    const id = await generate(engine, prompt, 4)
    const job = await settled(engine, id)

    expect(job.status).toBe('succeeded')
    expect(server.submissionsFor('toapis', prompt)).toBe(5)
    expect(job.failedTasks).toMatchObject({ count: 1, resubmitted: 1, possibleCost: PRICE_1K })
    expect(imageSeqs(home, id)).toEqual([0, 1, 2, 3])
    expect(job.chargedCost).toBeCloseTo(4 * PRICE_1K, 9)
    expect(server.billed('toapis').usd).toBeCloseTo(job.chargedCost! + job.failedTasks!.possibleCost!, 9)
    await engine.close()
  })

  it('after a stop while all four tasks are being polled: each saved task is polled to its image, none is submitted again', async () => {
    server.configure({ toapis: { statusesBeforeCompletion: ['in_progress', 'in_progress'] } })
    const home = tempDir('proofsheet-fan-out-')
    const prompt = 'fan-out: restart while polling'
    const first = await engineFor(home, { asyncTaskPolling: { firstPollMs: 60_000, pollEveryMs: 60_000 } })
    const id = await generate(first, prompt, 4)
    await until(() => savedTaskIds(home, id).length === 4, 'all four task ids are saved')
    await first.close()
    expect(imageSeqs(home, id)).toEqual([])

    const second = await engineFor(home)
    const job = await settled(second, id)
    expect(job.status).toBe('succeeded')
    expect(server.submissionsFor('toapis', prompt)).toBe(4)
    expect(imageSeqs(home, id)).toEqual([0, 1, 2, 3])
    expect(job.chargedCost).toBeCloseTo(4 * PRICE_1K, 9)
    await second.close()
  })
})

/** A call that reached the provider (with a task id, or none yet) and stays there until aborted. */
function atTheProvider(taskId: string | null): Step {
  return (c) =>
    new Promise((_, reject) => {
      if (taskId) c.onTaskId(taskId)
      c.signal.addEventListener('abort', () => reject(c.signal.reason), { once: true })
    })
}

describe('the places a fan-out takes', () => {
  it('never puts more calls at the provider than its concurrency, across jobs, and every job gets all its images', async () => {
    const h = queueHarness({ resumable: true, profile: { maxImagesPerCall: 1, concurrency: 3 } })
    const jobs = [...h.submit({ n: 4 }), ...h.submit({ n: 4 })]
    h.queue.start()
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'both jobs succeed')
    expect(h.dialect.maxActive).toBe(3)
    for (const j of jobs) expect(h.store.images.forJob(j.id).map((i) => i.seq)).toEqual([0, 1, 2, 3])
  })

  it('a sync provider that charges: its split calls go side by side within its concurrency, each saved as it lands', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1, concurrency: 2, safeToResubmit: false } })
    // The first call stays at the provider until the second has come back and been saved.
    let secondSaved: () => void = () => undefined
    const afterSecond = new Promise<void>((resolve) => (secondSaved = resolve))
    h.dialect.script(async (c) => {
      await afterSecond
      return succeed()(c)
    })
    const [job] = h.submit({ n: 4 })
    h.queue.start()
    await until(() => h.store.images.forJob(job!.id).some((i) => i.seq === 1), 'the second call is saved while the first is out')
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).not.toContain(0)
    secondSaved()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    expect(h.dialect.maxActive).toBe(2)
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1, 2, 3])
    expect(h.job(job!.id).remoteTaskId).toBeNull()
  })

  it('a sync fan-out keeps the rate limit: the calls past the minute\'s allowance wait for the clock, then go side by side', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1, concurrency: 4, requestsPerMinute: 2, safeToResubmit: false } })
    const [job] = h.submit({ n: 4 })
    h.queue.start()
    await until(() => h.store.images.forJob(job!.id).length === 2, 'the two calls the minute allows are saved')
    await settle()
    expect(h.dialect.calls).toHaveLength(2)
    expect(h.dialect.maxActive).toBe(2)
    h.clock.advance(60_000)
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds in the next minute')
    expect(h.dialect.calls.map((c) => c.firstIndex).sort()).toEqual([0, 1, 2, 3])
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1, 2, 3])
  })

  it('a cancel in the middle of a sync fan-out: the calls not yet sent never are, and nothing of the job is kept', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1, concurrency: 2, safeToResubmit: false } })
    h.dialect.script(atTheProvider(null), atTheProvider(null))
    const [job] = h.submit({ n: 4 })
    h.queue.start()
    await until(() => h.dialect.active === 2, 'two calls are at the provider')
    expect(h.queue.cancel(job!.id)).toBe(true)
    await until(() => h.dialect.active === 0, 'the calls out are aborted')
    await settle()
    expect(h.dialect.calls.map((c) => c.firstIndex)).toEqual([0, 1])
    expect(h.job(job!.id).status).toBe('canceled')
    expect(h.store.images.forJob(job!.id)).toEqual([])
  })
})

describe('a stop in the middle of a fan-out', () => {
  const opts = { resumable: true, profile: { maxImagesPerCall: 1, concurrency: 2, safeToResubmit: false } }

  it('between submissions: the saved tasks are polled, never submitted again, and only the calls never sent are sent', async () => {
    const first = queueHarness(opts)
    first.dialect.script(atTheProvider('task-a'), atTheProvider('task-b'))
    const [job] = first.submit({ n: 4 })
    first.queue.start()
    // Two places at the provider: calls 0 and 1 are out, calls 2 and 3 wait for a place.
    await until(() => first.store.jobs.remoteTasks(job!.id).size === 2, 'two task ids are saved')
    await settle()
    expect(first.dialect.calls.map((c) => c.firstIndex)).toEqual([0, 1])
    expect(first.dialect.maxActive).toBe(2)
    await first.queue.shutdown()
    first.store.close()

    const h = queueHarness({ home: first.home, ...opts })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job completes after the restart')
    expect(h.dialect.resumes.map((r) => [r.taskId, r.call.firstIndex])).toEqual([
      ['task-a', 0],
      ['task-b', 1],
    ])
    expect(h.dialect.calls.map((c) => c.firstIndex)).toEqual([2, 3])
    expect(h.store.images.forJob(job!.id).map((i) => [i.seq, i.revisedPrompt])).toEqual([
      [0, 'revised 0'],
      [1, 'revised 1'],
      [2, 'revised 2'],
      [3, 'revised 3'],
    ])
    expect(h.job(job!.id).chargedCost).toBeCloseTo(4 * 0.04, 9)
    expect(h.job(job!.id).remoteTaskId).toBeNull()
  })

  it('with a call sent and no task id back: interrupted; Retry polls the saved task and sends the rest anew', async () => {
    const first = queueHarness(opts)
    first.dialect.script(atTheProvider('task-a'), atTheProvider(null))
    const [job] = first.submit({ n: 2 })
    first.queue.start()
    await until(() => first.dialect.active === 2 && first.store.jobs.remoteTasks(job!.id).get(0) === 'task-a', 'both calls are out, one with its task id')
    await first.queue.shutdown()
    first.store.close()

    const h = queueHarness({ home: first.home, ...opts })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'interrupted', 'the job is interrupted')
    await settle()
    expect(h.dialect.calls).toHaveLength(0)
    expect(h.dialect.resumes).toHaveLength(0)
    expect(h.job(job!.id).errorMessage).toMatch(/charged/)

    expect(h.queue.retryJob(job!.id)).toBe(true)
    await until(() => h.job(job!.id).status === 'succeeded', 'the retried job succeeds')
    expect(h.dialect.resumes.map((r) => [r.taskId, r.call.firstIndex])).toEqual([['task-a', 0]])
    expect(h.dialect.calls.map((c) => c.firstIndex)).toEqual([1])
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1])
  })
})
