/** The progress of the work in flight, as the taskbar bar and the window title show it. */
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../../src/shared/api'
import { progressTitle, taskbarProgress, WorkProgressTracker } from '../../../src/shared/queue/work-progress'

const at = (id: string, status: JobView['status'], heldReason: string | null = null) => ({ id, status, heldReason })

describe('WorkProgressTracker', () => {
  it('counts a run from its first active job until none is active, then is idle again', () => {
    const t = new WorkProgressTracker()
    expect(t.current()).toBeNull()
    expect(t.update(at('a', 'queued'))).toEqual({ done: 0, total: 1, fraction: 0 })
    t.update(at('b', 'queued'))
    t.update(at('c', 'queued'))
    expect(t.update(at('a', 'running'))).toEqual({ done: 0, total: 3, fraction: 0 })
    expect(t.update(at('a', 'succeeded'))).toEqual({ done: 1, total: 3, fraction: 1 / 3 })
    expect(t.update(at('b', 'failed'))).toEqual({ done: 2, total: 3, fraction: 2 / 3 })
    expect(t.update(at('c', 'canceled'))).toBeNull()
    // The next run starts from zero, not from the jobs of the last one.
    expect(t.update(at('d', 'queued'))).toEqual({ done: 0, total: 1, fraction: 0 })
  })

  it('ignores finished jobs it never saw active (a list loaded at start)', () => {
    const t = new WorkProgressTracker()
    expect(t.update(at('old', 'succeeded'))).toBeNull()
    t.update(at('new', 'running'))
    expect(t.update(at('old2', 'failed'))).toEqual({ done: 0, total: 1, fraction: 0 })
  })

  it('counts a job held by a budget as done for this run: it waits for a person, not the queue', () => {
    const t = new WorkProgressTracker()
    t.update(at('a', 'running'))
    t.update(at('b', 'queued'))
    expect(t.update(at('b', 'queued', 'Over the daily budget'))).toEqual({ done: 1, total: 2, fraction: 0.5 })
    expect(t.update(at('a', 'succeeded'))).toBeNull()
  })

  it('a job that runs again after a retry is active again', () => {
    const t = new WorkProgressTracker()
    t.update(at('a', 'running'))
    t.update(at('b', 'running'))
    t.update(at('a', 'failed'))
    expect(t.update(at('a', 'queued'))).toEqual({ done: 0, total: 2, fraction: 0 })
  })

  it('forgets a cleared job', () => {
    const t = new WorkProgressTracker()
    t.update(at('a', 'running'))
    t.update(at('b', 'queued'))
    expect(t.forget('b')).toEqual({ done: 0, total: 1, fraction: 0 })
    expect(t.forget('a')).toBeNull()
  })
})

describe('taskbarProgress and progressTitle', () => {
  it('removes the bar when idle and shows a sliver even before the first job is done', () => {
    expect(taskbarProgress(null, false)).toEqual({ value: -1, mode: 'none' })
    expect(taskbarProgress({ done: 0, total: 4, fraction: 0 }, false)).toEqual({ value: 0.02, mode: 'normal' })
    expect(taskbarProgress({ done: 3, total: 4, fraction: 0.75 }, false)).toEqual({ value: 0.75, mode: 'normal' })
    expect(taskbarProgress({ done: 1, total: 4, fraction: 0.25 }, true)).toEqual({ value: 0.25, mode: 'paused' })
  })

  it('puts done/total in front of the name while work runs', () => {
    expect(progressTitle({ done: 3, total: 10, fraction: 0.3 })).toBe('(3/10) Proofsheet')
    expect(progressTitle(null)).toBe('Proofsheet')
  })
})
