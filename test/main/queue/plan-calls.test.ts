/**
 * Which calls bring a job to n images (job-runner.ts planCalls), and how a job's row keeps the
 * provider tasks of several calls (store/remote-tasks.ts): pure rules, every case without a provider.
 */
import { describe, expect, it } from 'vitest'
import { planCalls } from '../../../src/main/core/queue/job-runner'
import { firstUnsavedSeq, formatRemoteTasks, parseRemoteTasks } from '../../../src/main/core/store/remote-tasks'

describe('planCalls', () => {
  it('cuts the unsaved seqs into calls of at most perCall images', () => {
    expect(planCalls(5, [], new Map(), 2)).toEqual([
      { count: 2, firstIndex: 0, resumeTaskId: null },
      { count: 2, firstIndex: 2, resumeTaskId: null },
      { count: 1, firstIndex: 4, resumeTaskId: null },
    ])
  })

  it('asks only for the seqs not saved yet, also when a fan-out saved them out of order', () => {
    expect(planCalls(4, [0, 2], new Map(), 1).map((p) => p.firstIndex)).toEqual([1, 3])
    expect(planCalls(4, [1], new Map(), 4)).toEqual([
      { count: 1, firstIndex: 0, resumeTaskId: null },
      { count: 2, firstIndex: 2, resumeTaskId: null },
    ])
    expect(planCalls(3, [0, 1, 2], new Map(), 1)).toEqual([])
  })

  it('starts a call where a saved task starts, so that task is polled and its seqs are not asked for again', () => {
    expect(planCalls(4, [], new Map([[0, 'task-a'], [2, 'task-c']]), 1)).toEqual([
      { count: 1, firstIndex: 0, resumeTaskId: 'task-a' },
      { count: 1, firstIndex: 1, resumeTaskId: null },
      { count: 1, firstIndex: 2, resumeTaskId: 'task-c' },
      { count: 1, firstIndex: 3, resumeTaskId: null },
    ])
    expect(planCalls(4, [], new Map([[2, 'task-c']]), 4).map((p) => [p.firstIndex, p.count, p.resumeTaskId])).toEqual([
      [0, 2, null],
      [2, 2, 'task-c'],
    ])
  })

  it('does not take a call marked sent without a task id for a task', () => {
    expect(planCalls(2, [], new Map([[0, '']]), 1).map((p) => p.resumeTaskId)).toEqual([null, null])
  })
})

describe('the remote tasks of a job row', () => {
  it('reads a plain task id, as rows have always held it, as the task of the first unsaved call', () => {
    expect(parseRemoteTasks('task-7', firstUnsavedSeq([0, 1], 4))).toEqual(new Map([[2, 'task-7']]))
    expect(parseRemoteTasks(null, 0)).toEqual(new Map())
  })

  it('keeps several tasks by the seq of their first image, and "sent, no id yet" apart from no call', () => {
    const tasks = new Map([
      [3, 'task-d'],
      [0, 'task-a'],
      [1, ''],
    ])
    const column = formatRemoteTasks(tasks)
    expect(column).toBe('{"0":"task-a","1":"","3":"task-d"}')
    expect(parseRemoteTasks(column, 0)).toEqual(tasks)
    expect(formatRemoteTasks(new Map())).toBeNull()
  })

  it('knows no task in a value it did not write', () => {
    expect(parseRemoteTasks('{not json', 0)).toEqual(new Map())
    expect(parseRemoteTasks('{"a":"x","2":7}', 0)).toEqual(new Map())
  })
})
