/**
 * Restart after a crash: a job the last process left 'running' is resumed, resubmitted or marked
 * interrupted, depending on whether that can cost the user twice. The crash is simulated by
 * claiming the job through the repository, never finishing it, and closing the database.
 */
import { describe, expect, it } from 'vitest'
import { Hold, succeed } from '../../helpers/scripted-dialect'
import { queueHarness, type QueueHarnessOptions } from '../../helpers/queue-harness'
import { mediaFiles } from '../../helpers/library-files'
import { settle, until } from '../../helpers/wait'

/** A library whose last process died with one job at the provider. */
function crashedMidJob(opts: QueueHarnessOptions & { n?: number; remoteTaskId?: string }): { home: string; id: string } {
  const before = queueHarness(opts)
  const [job] = before.submit({ n: opts.n ?? 1 })
  expect(before.store.jobs.claim(job!.id, before.clock.now())).toBe(true)
  if (opts.remoteTaskId) before.store.jobs.setRemoteTask(job!.id, opts.remoteTaskId, before.clock.now())
  before.store.close()
  return { home: before.home, id: job!.id }
}

describe('JobQueue.start after a crash', () => {
  it('requeues and completes, exactly once, a job whose provider is safe to resubmit', async () => {
    const profile = { safeToResubmit: true }
    const { home, id } = crashedMidJob({ profile, n: 2 })
    const h = queueHarness({ home, profile })
    h.queue.start()
    await until(() => h.job(id).status === 'succeeded', 'the job completes')
    h.clock.advance(600_000)
    await settle()
    expect(h.dialect.calls).toHaveLength(1)
    expect(h.store.images.forJob(id).map((i) => i.seq)).toEqual([0, 1])
    expect(h.job(id).attempts).toBe(2)
  })

  it('marks interrupted, with a message, a job that may already have been charged', async () => {
    const { home, id } = crashedMidJob({ profile: { safeToResubmit: false } })
    const h = queueHarness({ home, profile: { safeToResubmit: false } })
    h.queue.start()
    await until(() => h.job(id).status === 'interrupted', 'the job is marked interrupted')
    h.clock.advance(600_000)
    await settle()
    expect(h.dialect.calls).toHaveLength(0)
    expect(h.job(id)).toMatchObject({ status: 'interrupted', errorKind: 'interrupted' })
    expect(h.job(id).errorMessage).toMatch(/charged/)
    expect(h.job(id).errorMessage).toMatch(/a retry asks for the image again/)

    // The user checks the provider and presses Retry: now it runs.
    expect(h.queue.retryJob(id)).toBe(true)
    await until(() => h.job(id).status === 'succeeded', 'the retried job succeeds')
    expect(h.dialect.calls).toHaveLength(1)
  })

  it('resumes a remote task by its id and never submits it again', async () => {
    const opts = { resumable: true, profile: { safeToResubmit: false } }
    const { home, id } = crashedMidJob({ ...opts, remoteTaskId: 'task-42' })
    const h = queueHarness({ home, ...opts })
    h.queue.start()
    await until(() => h.job(id).status === 'succeeded', 'the resumed job succeeds')
    expect(h.dialect.resumes.map((r) => r.taskId)).toEqual(['task-42'])
    expect(h.dialect.calls).toHaveLength(0)
    expect(h.store.images.forJob(id)).toHaveLength(1)
    expect(h.job(id).chargedCost).toBeCloseTo(0.04, 9)
  })

  it('marks interrupted a job with a task id when the adapter cannot resume tasks', async () => {
    const { home, id } = crashedMidJob({ remoteTaskId: 'task-9' })
    const h = queueHarness({ home })
    h.queue.start()
    await until(() => h.job(id).status === 'interrupted', 'the job is marked interrupted')
    await settle()
    expect(h.dialect.calls).toHaveLength(0)
  })

  it('does not fetch a finished, recorded task again after a restart in the middle of the next call', async () => {
    // Call 1 ran as task-1 and its image was recorded; the process stopped while call 2 was being
    // submitted (before the provider returned a task id). task-1 must not be polled and recorded
    // a second time; call 2 may have been charged, so the job is interrupted for the user.
    const opts = { resumable: true, profile: { maxImagesPerCall: 1, safeToResubmit: false } }
    const first = queueHarness(opts)
    const submitting = new Hold()
    first.dialect.script(succeed({ taskId: 'task-1' }), submitting.step)
    const [job] = first.submit({ n: 2 })
    first.queue.start()
    await submitting.entered()
    await first.queue.shutdown()
    first.store.close()
    expect(first.dialect.resumes).toEqual([])

    const h = queueHarness({ home: first.home, ...opts })
    h.queue.start()
    await until(() => h.job(job!.id).status !== 'queued' && h.job(job!.id).status !== 'running', 'recovery settles')
    await settle()
    expect(h.store.images.forJob(job!.id).map((i) => i.revisedPrompt)).toEqual(['revised 0'])
    expect(h.job(job!.id).status).toBe('interrupted')
    expect(h.dialect.resumes.map((r) => r.taskId)).toEqual([])
    expect(mediaFiles(h.home)).toHaveLength(2)
  })

  it('finishes, without a call, a job whose last images were recorded just before the crash', async () => {
    const first = queueHarness()
    const [job] = first.submit({ n: 2 })
    first.queue.start()
    await until(() => first.job(job!.id).status === 'succeeded', 'the job runs once')
    await first.queue.shutdown()
    // The crash came between recording the images and marking the job done.
    first.store.db.prepare("UPDATE jobs SET status = 'running', finished_at = NULL WHERE id = ?").run(job!.id)
    first.store.close()

    const h = queueHarness({ home: first.home })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'recovery finishes the job')
    await settle()
    expect(h.dialect.calls).toHaveLength(0)
    expect(h.store.images.forJob(job!.id)).toHaveLength(2)
    expect(h.job(job!.id).chargedCost).toBeCloseTo(0.08, 9)
  })

  it('polls a saved task across restarts without using up the attempts', async () => {
    const opts = { resumable: true, profile: { safeToResubmit: false } }
    const { home, id } = crashedMidJob({ ...opts, remoteTaskId: 'task-7' })
    for (let restart = 0; restart < 4; restart++) {
      // Each restart claims the job again to poll it, and dies before the task finishes.
      const h = queueHarness({ home, ...opts })
      h.queue.recover()
      expect(h.job(id)).toMatchObject({ status: 'queued', remoteTaskId: 'task-7' })
      expect(h.store.jobs.claim(id, h.clock.now())).toBe(true)
      h.store.close()
    }
    const h = queueHarness({ home, ...opts })
    h.queue.start()
    await until(() => h.job(id).status === 'succeeded', 'the task is polled to the end')
    expect(h.job(id).attempts).toBe(1)
    expect(h.dialect.calls).toHaveLength(0)
  })

  it('says on an interrupted job how many images are kept, and Retry asks only for the rest', async () => {
    const opts = { profile: { maxImagesPerCall: 2, safeToResubmit: false } }
    const first = queueHarness(opts)
    const second = new Hold()
    first.dialect.script(succeed(), second.step)
    const [job] = first.submit({ n: 4 })
    first.queue.start()
    await second.entered()
    await first.queue.shutdown()
    first.store.close()

    const h = queueHarness({ home: first.home, ...opts })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'interrupted', 'the job is interrupted')
    expect(h.job(job!.id).errorMessage).toContain('2 of 4 images were saved and are kept.')
    expect(h.job(job!.id).errorMessage).toContain('a retry asks for the remaining 2 again')
    expect(h.queue.retryJob(job!.id)).toBe(true)
    await until(() => h.job(job!.id).status === 'succeeded', 'the retry finishes it')
    expect(h.dialect.calls.map((c) => [c.firstIndex, c.count])).toEqual([[2, 2]])
    expect(h.store.images.forJob(job!.id).map((i) => i.seq)).toEqual([0, 1, 2, 3])
  })
})
