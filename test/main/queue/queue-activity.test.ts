/**
 * QueueActivity turns engine events into "show this progress" and "announce this batch", as the
 * Electron main process and the browser page use it.
 */
import { describe, expect, it } from 'vitest'
import type { JobView, QueueState } from '../../../src/shared/api'
import type { BatchNotice } from '../../../src/shared/queue/batch-summary'
import { QueueActivity } from '../../../src/shared/queue/queue-activity'
import type { WorkProgress } from '../../../src/shared/queue/work-progress'

function job(id: string, status: JobView['status']): JobView {
  return {
    id,
    batchId: 'batch_9',
    provider: 'demo',
    keyLabel: null,
    prompt: 'Ceramic vase, studio light',
    size: '1024x1024',
    format: 'png',
    n: 1,
    status,
    attempts: 0,
    maxAttempts: 4,
    nextAttemptAt: null,
    error: null,
    estimatedCost: 0,
    chargedCost: status === 'succeeded' ? 0 : null,
    currency: 'USD',
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    typicalLatencyMs: 1000,
    imageIds: [],
  }
}

const queue = (paused: boolean): QueueState => ({ paused, counts: {} as QueueState['counts'] })

function recorder() {
  const progress: Array<{ progress: WorkProgress | null; paused: boolean }> = []
  const notices: BatchNotice[] = []
  let started = 0
  const activity = new QueueActivity({
    progress: (p, paused) => progress.push({ progress: p, paused }),
    batchFinished: (n) => notices.push(n),
    workStarted: () => (started += 1),
  })
  return { activity, progress, notices, started: () => started }
}

describe('QueueActivity', () => {
  it('reports progress as jobs move, idle at the end, and announces the finished batch once', () => {
    const { activity, progress, notices } = recorder()
    activity.handle({ event: 'job.updated', data: job('a', 'queued') })
    activity.handle({ event: 'job.updated', data: job('b', 'queued') })
    activity.handle({ event: 'job.updated', data: job('a', 'running') })
    activity.handle({ event: 'job.updated', data: job('a', 'succeeded') })
    activity.handle({ event: 'job.updated', data: job('b', 'succeeded') })
    expect(progress.map((p) => p.progress && `${p.progress.done}/${p.progress.total}`)).toEqual(['0/1', '0/2', '1/2', null])
    expect(notices).toEqual([{ batchId: 'batch_9', title: 'Batch finished: Ceramic vase, studio light', body: '2 of 2 succeeded · spent $0.00' }])
  })

  it('passes the pause on with the current progress', () => {
    const { activity, progress } = recorder()
    activity.handle({ event: 'job.updated', data: job('a', 'queued') })
    activity.handle({ event: 'queue.changed', data: queue(true) })
    expect(progress.at(-1)).toEqual({ progress: { done: 0, total: 1, fraction: 0 }, paused: true })
    const before = progress.length
    activity.handle({ event: 'queue.changed', data: queue(true) })
    expect(progress).toHaveLength(before)
  })

  it('a seeded list never overrides a newer event, and announces nothing by itself', () => {
    const { activity, progress, notices } = recorder()
    activity.handle({ event: 'job.updated', data: job('a', 'succeeded') })
    // The list was read before 'a' finished; 'b' is still running.
    activity.seed([job('a', 'running'), job('b', 'running')], false)
    expect(progress.at(-1)).toEqual({ progress: { done: 0, total: 1, fraction: 0 }, paused: false })
    activity.handle({ event: 'job.updated', data: job('b', 'succeeded') })
    expect(progress.at(-1)?.progress).toBeNull()
    expect(activity.progress).toBeNull()
    expect(notices).toHaveLength(1)
  })

  it('goes idle when the rest is held, even when the reply to Generate arrives after the events (title "(79/83)" stuck)', () => {
    const { activity, progress } = recorder()
    activity.handle({ event: 'job.updated', data: job('a', 'queued') })
    activity.handle({ event: 'job.updated', data: job('b', 'queued') })
    activity.handle({ event: 'job.updated', data: job('a', 'running') })
    activity.handle({ event: 'job.updated', data: job('a', 'succeeded') })
    // The budget holds b before the page reads Generate's reply, which still says "queued".
    activity.handle({ event: 'job.updated', data: { ...job('b', 'queued'), heldReason: 'Daily budget of $5.00 reached.' } })
    expect(activity.progress).toBeNull()
    activity.replied([job('a', 'queued'), job('b', 'queued')])
    expect(activity.progress).toBeNull()
    expect(progress.at(-1)?.progress).toBeNull()
  })

  it('takes a reply for jobs no event has mentioned yet', () => {
    const { activity } = recorder()
    activity.replied([job('a', 'queued')])
    expect(activity.progress).toEqual({ done: 0, total: 1, fraction: 0 })
    activity.handle({ event: 'job.updated', data: job('a', 'succeeded') })
    expect(activity.progress).toBeNull()
  })

  it('says when new work starts (queued, retried or released), not when queued work moves on', () => {
    const { activity, started } = recorder()
    activity.seed([job('old', 'queued')], false)
    expect(started()).toBe(0)
    activity.handle({ event: 'job.updated', data: job('a', 'queued') })
    expect(started()).toBe(1)
    activity.handle({ event: 'job.updated', data: job('a', 'running') })
    activity.handle({ event: 'job.updated', data: job('a', 'succeeded') })
    expect(started()).toBe(1)
    activity.handle({ event: 'job.updated', data: job('a', 'queued') }) // retried
    expect(started()).toBe(2)
  })
})
