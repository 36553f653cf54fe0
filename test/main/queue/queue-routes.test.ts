/**
 * batches.retryFailed, queue.retryFailed and queue.clearFinished through the engine's router, as
 * every door calls them: a real library; the "network" refuses every call, so openai jobs fail.
 */
import { describe, expect, it, onTestFinished } from 'vitest'
import type { EventMessage } from '../../../src/shared/api'
import type { Engine } from '../../../src/main/core/engine'
import { call, openEngine as openLibrary, refused } from '../../helpers/engine'
import { FakeClock } from '../../helpers/fake-clock'
import { tempDir } from '../../helpers/temp-dir'

function openEngine(): Promise<Engine> {
  return openLibrary(tempDir('proofsheet-queue-routes-'), {
    env: { OPENAI_TEST_KEY: 'sk-test-0123456789' },
    // One attempt: a refused call fails the job at once instead of waiting for a retry.
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: () => Promise.reject(new TypeError('fetch failed: no network in this test')),
  })
}

const openai = (sizes: string[]) => ({
  provider: 'openai',
  prompt: 'poster draft, bold type',
  sizes: sizes.map((s) => ({ width: Number(s.split('x')[0]), height: Number(s.split('x')[1]) })),
  key: { keyEnv: 'OPENAI_TEST_KEY' },
})

/** A batch of two failed jobs, a single failed job, and the job ids. */
async function failedWork(engine: Engine) {
  const batch = await call(engine, 'jobs.generate', openai(['1024x1024', '1536x1024']))
  const single = await call(engine, 'jobs.generate', openai(['1024x1536']))
  const all = [...batch.jobs, ...single.jobs].map((j) => j.id)
  const settled = await engine.waitForJobs(all)
  expect(settled.map((j) => j.status)).toEqual(['failed', 'failed', 'failed'])
  expect(batch.batchId).not.toBeNull()
  expect(single.batchId).toBeNull()
  return { batchId: batch.batchId!, batchJobs: batch.jobs.map((j) => j.id), singleJob: single.jobs[0]!.id }
}

const statusOf = async (engine: Engine, id: string) => (await call(engine, 'jobs.get', { id })).status

describe('retrying failed work in bulk', () => {
  it('batches.retryFailed requeues the failed jobs of that batch only, with their attempts reset', async () => {
    const engine = await openEngine()
    const { batchId, batchJobs, singleJob } = await failedWork(engine)
    // Paused, the requeued jobs stay queued where the test can see them.
    await call(engine, 'queue.pause', {})

    expect(await call(engine, 'batches.retryFailed', { batchId })).toEqual({ retried: 2 })
    for (const id of batchJobs) {
      expect(await call(engine, 'jobs.get', { id })).toMatchObject({ status: 'queued', attempts: 0, error: null })
    }
    expect(await statusOf(engine, singleJob)).toBe('failed')
    // Nothing failed is left in the batch: a second press retries nothing.
    expect(await call(engine, 'batches.retryFailed', { batchId })).toEqual({ retried: 0 })
  })

  it('leaves canceled jobs of the batch alone', async () => {
    const engine = await openEngine()
    const { batchId, batchJobs } = await failedWork(engine)
    await call(engine, 'queue.pause', {})
    await call(engine, 'jobs.retry', { id: batchJobs[0] })
    await call(engine, 'jobs.cancel', { id: batchJobs[0] })

    expect(await call(engine, 'batches.retryFailed', { batchId })).toEqual({ retried: 1 })
    expect(await statusOf(engine, batchJobs[0]!)).toBe('canceled')
    expect(await statusOf(engine, batchJobs[1]!)).toBe('queued')
  })

  it('queue.retryFailed requeues every failed job, in batches or not, and tells the doors', async () => {
    const engine = await openEngine()
    const { batchJobs, singleJob } = await failedWork(engine)
    await call(engine, 'queue.pause', {})
    const events: EventMessage[] = []
    onTestFinished(engine.router.subscribe((m) => events.push(m)))

    expect(await call(engine, 'queue.retryFailed', {})).toEqual({ retried: 3 })
    for (const id of [...batchJobs, singleJob]) expect(await statusOf(engine, id)).toBe('queued')
    const updated = events.filter((m) => m.event === 'job.updated').map((m) => m.data.id)
    expect(new Set(updated)).toEqual(new Set([...batchJobs, singleJob]))
    const lastQueue = events.filter((m) => m.event === 'queue.changed').at(-1)
    expect(lastQueue?.data.counts).toMatchObject({ queued: 3, failed: 0 })
  })

  it('refuses an unknown batch, naming batchId', async () => {
    const engine = await openEngine()
    const error = await refused(engine, 'batches.retryFailed', { batchId: 'batch_nope' })
    expect(error).toMatchObject({ code: 'not_found', field: 'batchId' })
    expect((await refused(engine, 'batches.retryFailed', {})).field).toBe('batchId')
  })
})

describe('queue.clearFinished', () => {
  it('removes failed and canceled jobs and announces the new counts', async () => {
    const engine = await openEngine()
    const { batchJobs, singleJob } = await failedWork(engine)
    const events: EventMessage[] = []
    onTestFinished(engine.router.subscribe((m) => events.push(m)))

    expect(await call(engine, 'queue.clearFinished', {})).toEqual({ ok: true })
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    for (const id of [...batchJobs, singleJob]) expect((await refused(engine, 'jobs.get', { id })).code).toBe('not_found')
    const lastQueue = events.filter((m) => m.event === 'queue.changed').at(-1)
    expect(lastQueue?.data.counts.failed ?? 0).toBe(0)
  })
})

describe('jobs.list pages', () => {
  it('reads the queue a page at a time, newest first, and never ends a page inside a batch', async () => {
    const clock = new FakeClock()
    const engine = await openLibrary(tempDir('proofsheet-queue-pages-'), { clock, runQueue: false })
    const made: string[][] = []
    const generate = async (sizes: number): Promise<void> => {
      clock.advance(1000)
      const sizeList = Array.from({ length: sizes }, (_, i) => ({ width: 256 + 16 * i, height: 256 }))
      made.push((await call(engine, 'jobs.generate', { provider: 'demo', prompt: `shot ${made.length}`, sizes: sizeList })).jobs.map((j) => j.id))
    }
    for (const sizes of [1, 1, 1, 5, 1, 1]) await generate(sizes)
    const [s0, s1, s2, batch, s4, s5] = made

    const first = await call(engine, 'jobs.list', { limit: 3 })
    // Two single jobs, then the batch: the page runs on to the batch's last job.
    expect(first.jobs.slice(0, 2).map((j) => j.id)).toEqual([...s5!, ...s4!])
    expect(new Set(first.jobs.slice(2).map((j) => j.id))).toEqual(new Set(batch))
    expect(first.next).toEqual({ createdAt: first.jobs.at(-1)!.createdAt, id: first.jobs.at(-1)!.id })

    const second = await call(engine, 'jobs.list', { limit: 3, before: first.next! })
    expect(second.jobs.map((j) => j.id)).toEqual([...s2!, ...s1!, ...s0!])
    const third = await call(engine, 'jobs.list', { limit: 3, before: second.next! })
    expect(third).toEqual({ jobs: [], next: null })
    expect((await call(engine, 'jobs.list', { limit: 500 })).next).toBeNull()
    // The CLI's filters page the same way.
    const queued = await call(engine, 'jobs.list', { limit: 2, status: 'queued', before: first.next! })
    expect(queued.jobs.map((j) => j.id)).toEqual([...s2!, ...s1!])
  })
})

describe('queue.changed while paused', () => {
  it('still announces the new counts when work is queued, so every door shows the true number', async () => {
    const engine = await openLibrary(tempDir('proofsheet-queue-paused-'), {})
    await call(engine, 'queue.pause', {})
    const events: EventMessage[] = []
    onTestFinished(engine.router.subscribe((m) => events.push(m)))
    const last = () => events.filter((m) => m.event === 'queue.changed').at(-1)?.data
    await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'paused work', sizes: [{ width: 256, height: 256 }, { width: 320, height: 256 }] })
    await expect.poll(last, { timeout: 5000 }).toMatchObject({ paused: true, counts: { queued: 2 } })
    // The queue is running its loop by now: later work is counted too, though nothing starts.
    await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'more paused work', sizes: [{ width: 256, height: 256 }] })
    await expect.poll(last, { timeout: 5000 }).toMatchObject({ paused: true, counts: { queued: 3 } })
  })
})
