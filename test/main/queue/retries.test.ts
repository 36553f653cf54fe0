/**
 * What the queue does when a call fails: which failures are tried again, when, how often, and
 * how a job with several calls continues after the images it already has.
 */
import { describe, expect, it } from 'vitest'
import type { ErrorKind } from '../../../src/shared/api'
import { ProviderError } from '../../../src/main/core/providers/provider-error'
import { fail, succeed } from '../../helpers/scripted-dialect'
import { queueHarness, type QueueHarness } from '../../helpers/queue-harness'
import { settle, until } from '../../helpers/wait'

const retry = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }

/** Waits until the job is queued again after a failed call, and returns how long it must wait. */
async function waitingForRetry(h: QueueHarness, id: string, calls: number): Promise<number> {
  await until(() => {
    const job = h.job(id)
    return h.dialect.calls.length === calls && job.status === 'queued' && job.nextAttemptAt !== null
  }, `job waits for retry after call ${calls}`)
  await settle()
  return h.job(id).nextAttemptAt! - h.clock.now()
}

describe('JobQueue retries', () => {
  it.each(['retryable', 'provider_down'] as const)(
    'retries a %s failure with growing backoff, then fails after maxAttempts calls',
    async (kind) => {
      const h = queueHarness({ retry })
      const error = (): ProviderError => new ProviderError(kind, `provider trouble (${kind})`, { code: 'upstream' })
      h.dialect.script(fail(error()), fail(error()), fail(error()))
      const [job] = h.submit()
      h.queue.start()

      const firstWait = await waitingForRetry(h, job!.id, 1)
      expect(firstWait).toBeGreaterThan(0)
      expect(h.job(job!.id)).toMatchObject({ attempts: 1, errorKind: kind, errorMessage: `provider trouble (${kind})` })
      // Not a moment early.
      h.clock.advance(firstWait - 1)
      await settle()
      expect(h.dialect.calls).toHaveLength(1)
      h.clock.advance(1)

      const secondWait = await waitingForRetry(h, job!.id, 2)
      expect(secondWait).toBeGreaterThan(firstWait)
      h.clock.advance(secondWait)

      await until(() => h.job(job!.id).status === 'failed', 'the job fails for good')
      expect(h.dialect.calls).toHaveLength(retry.maxAttempts)
      expect(h.job(job!.id)).toMatchObject({ attempts: retry.maxAttempts, errorKind: kind, chargedCost: 0 })
      // And nothing more happens, however long we wait.
      h.clock.advance(3_600_000)
      await settle()
      expect(h.dialect.calls).toHaveLength(retry.maxAttempts)
    },
  )

  it('succeeds on a later attempt after a retryable failure', async () => {
    const h = queueHarness({ retry })
    h.dialect.script(fail(new ProviderError('retryable', 'timeout', { code: 'timeout' })), succeed())
    const [job] = h.submit()
    h.queue.start()
    h.clock.advance(await waitingForRetry(h, job!.id, 1))
    await until(() => h.job(job!.id).status === 'succeeded', 'the retry succeeds')
    expect(h.job(job!.id)).toMatchObject({ attempts: 2, errorKind: null, errorMessage: null })
    expect(h.job(job!.id).chargedCost).toBeCloseTo(0.04, 9)
  })

  it.each(['input', 'auth', 'billing', 'content_policy'] as ErrorKind[])(
    'never retries a %s failure; the job says why',
    async (kind) => {
      const h = queueHarness({ retry })
      h.dialect.script(fail(new ProviderError(kind, `refused: ${kind}`, { code: `${kind}_code` })))
      const [job] = h.submit()
      h.queue.start()
      await until(() => h.job(job!.id).status === 'failed', 'the job fails')
      h.clock.advance(3_600_000)
      await settle()
      expect(h.dialect.calls).toHaveLength(1)
      expect(h.job(job!.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        errorKind: kind,
        errorCode: `${kind}_code`,
        chargedCost: 0,
      })
      expect(h.generation.view(h.job(job!.id)).error).toEqual({ kind, code: `${kind}_code`, message: `refused: ${kind}` })
    },
  )

  it("waits at least as long as the provider's Retry-After", async () => {
    const h = queueHarness({ retry })
    h.dialect.script(fail(new ProviderError('retryable', 'rate limited', { code: 'rate_limited', retryAfterMs: 30_000 })))
    const [job] = h.submit()
    h.queue.start()
    const failedAt = h.clock.now()
    const wait = await waitingForRetry(h, job!.id, 1)
    expect(h.job(job!.id).nextAttemptAt!).toBeGreaterThanOrEqual(failedAt + 30_000)
    h.clock.advance(wait - 1)
    await settle()
    expect(h.dialect.calls).toHaveLength(1)
    h.clock.advance(1)
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds after Retry-After')
  })

  it('holds the whole profile when a call reports a Retry-After it met on the way (a ToAPIs poll)', async () => {
    const h = queueHarness({ retry, profile: { concurrency: 2 } })
    h.dialect.script(async (call) => {
      call.backoff.hold(20_000)
      // Its own next poll waits on the same back-off.
      await call.backoff.wait()
      return succeed()(call)
    })
    const [first] = h.submit()
    h.queue.start()
    await until(() => h.dialect.calls.length === 1, 'the first call is at the provider')
    const [second] = h.submit({ prompt: 'black sneaker' })
    await settle()
    // A free slot, but the provider asked for 20 s: the second job's call may not start yet.
    expect(h.dialect.calls).toHaveLength(1)
    h.clock.advance(19_000)
    await settle()
    expect(h.dialect.calls).toHaveLength(1)
    expect(h.job(first!.id).status).toBe('running')
    h.clock.advance(1_000)
    await until(() => h.job(first!.id).status === 'succeeded' && h.job(second!.id).status === 'succeeded', 'both run once the hold is over')
  })

  it('retries network trouble thrown as a plain error (fetch failed)', async () => {
    const h = queueHarness({ retry })
    h.dialect.script(fail(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })))
    const [job] = h.submit()
    h.queue.start()
    await waitingForRetry(h, job!.id, 1)
    expect(h.job(job!.id)).toMatchObject({ errorKind: 'retryable', errorCode: 'ECONNRESET' })
  })
})

describe('JobQueue: n images over several calls', () => {
  it('splits n by the per-call limit: 3 calls, 3 images in order, charged 3 x the price', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1 } })
    const [job] = h.submit({ n: 3 })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    expect(h.dialect.calls.map((c) => [c.count, c.firstIndex])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
    ])
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1, 2])
    expect(h.job(job!.id).chargedCost).toBeCloseTo(3 * 0.04, 9)
    expect(h.job(job!.id).chargedCost).toBeCloseTo(h.job(job!.id).estimatedCost!, 9)
  })

  it('after a failed call, the retry asks only for the images still missing (no duplicates, no double charge)', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1 }, retry })
    h.dialect.script(succeed(), fail(new ProviderError('retryable', 'busy', { code: 'busy' })))
    const [job] = h.submit({ n: 3 })
    h.queue.start()
    h.clock.advance(await waitingForRetry(h, job!.id, 2))
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')

    expect(h.dialect.calls.map((c) => c.firstIndex)).toEqual([0, 1, 1, 2])
    const images = h.store.images.forJob(job!.id)
    expect(images.map((i) => i.seq)).toEqual([0, 1, 2])
    expect(images.map((i) => i.revisedPrompt)).toEqual(['revised 0', 'revised 1', 'revised 2'])
    expect(new Set(images.map((i) => i.file)).size).toBe(3)
    expect(h.job(job!.id).chargedCost).toBeCloseTo(3 * 0.04, 9)
  })

  it('a provider that returns fewer images than asked is asked again for the rest', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 4 } })
    h.dialect.script(succeed({ count: 1 }))
    const [job] = h.submit({ n: 3 })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    expect(h.dialect.calls.map((c) => [c.count, c.firstIndex])).toEqual([
      [3, 0],
      [2, 1],
    ])
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1, 2])
  })

  it('an async provider: after a later call fails, the retry submits anew instead of fetching the finished task again', async () => {
    // Call 1 ran as remote task "task-1" and its image is recorded. Call 2 failed before the
    // provider gave it a task id. The retry must submit call 2 again, not poll task-1 a second
    // time and record its image twice.
    const h = queueHarness({ profile: { maxImagesPerCall: 1 }, resumable: true, retry })
    h.dialect.script(
      succeed({ taskId: 'task-1' }),
      fail(new ProviderError('retryable', 'submit timed out', { code: 'timeout' })),
      succeed({ taskId: 'task-3' }),
    )
    const [job] = h.submit({ n: 2 })
    h.queue.start()
    h.clock.advance(await waitingForRetry(h, job!.id, 2))
    await until(() => ['succeeded', 'failed'].includes(h.job(job!.id).status), 'the job finishes')

    // What the user would see: two different images, not task-1's image twice.
    expect(h.store.images.forJob(job!.id).map((i) => i.revisedPrompt)).toEqual(['revised 0', 'revised 1'])
    expect(h.dialect.resumes.map((r) => r.taskId)).toEqual([])
    expect(h.dialect.calls.map((c) => c.firstIndex)).toEqual([0, 1, 1])
  })

  it('an async task that ended badly is submitted anew on retry; one that only timed out is followed again', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1 }, resumable: true, retry })
    h.dialect.script(
      async (call) => {
        call.onTaskId('task-dead')
        throw new ProviderError('provider_down', 'the task failed upstream', { code: 'task_failed', taskEnded: true })
      },
      async (call) => {
        call.onTaskId('task-slow')
        throw new ProviderError('provider_down', 'still running after the poll limit', { code: 'poll_timeout' })
      },
    )
    const [job] = h.submit({ n: 1 })
    h.queue.start()
    h.clock.advance(await waitingForRetry(h, job!.id, 1))
    expect(h.job(job!.id).remoteTaskId).toBeNull()
    await until(() => h.dialect.calls.length === 2 && h.job(job!.id).status === 'queued' && h.job(job!.id).nextAttemptAt !== null, 'second call fails')
    await settle()
    expect(h.job(job!.id).remoteTaskId).toBe('task-slow')
    h.clock.advance(h.job(job!.id).nextAttemptAt! - h.clock.now())
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    // The dead task was never polled again; the slow one was resumed, not submitted a third time.
    expect(h.dialect.resumes.map((r) => r.taskId)).toEqual(['task-slow'])
    expect(h.dialect.calls).toHaveLength(2)
  })
})
