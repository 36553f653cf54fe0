import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLatestCall, type PreviewState } from '../../src/renderer/src/ui/latest-call'

/** A call whose replies the test releases by hand, in any order. */
function heldCall() {
  const pending: { input: string; resolve(v: string): void; reject(e: unknown): void }[] = []
  const call = (input: string) => new Promise<string>((resolve, reject) => pending.push({ input, resolve, reject }))
  return { call, pending }
}

describe('createLatestCall', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('waits for the pause, asks once for the newest input and drops a slower stale reply', async () => {
    const { call, pending } = heldCall()
    const states: PreviewState<string>[] = []
    const latest = createLatestCall(call, (s) => states.push(s), 100)
    latest.request('a')
    latest.request('ab')
    await vi.advanceTimersByTimeAsync(99)
    expect(pending).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(pending.map((p) => p.input)).toEqual(['ab'])

    latest.request('abc')
    await vi.advanceTimersByTimeAsync(100)
    pending[1]!.resolve('reply to abc')
    pending[0]!.resolve('reply to ab') // arrives last, but asked first
    await vi.advanceTimersByTimeAsync(0)
    expect(states.at(-1)).toEqual({ status: 'ready', value: 'reply to abc', error: null })
    expect(states.some((s) => s.value === 'reply to ab')).toBe(false)
  })

  it('reports an error as a note, keeps the last value while loading, and goes idle on null', async () => {
    const { call, pending } = heldCall()
    const states: PreviewState<string>[] = []
    const latest = createLatestCall(call, (s) => states.push(s), 10)
    latest.request('x')
    await vi.advanceTimersByTimeAsync(10)
    pending[0]!.resolve('X')
    await vi.advanceTimersByTimeAsync(0)
    latest.refresh()
    expect(states.at(-1)).toEqual({ status: 'loading', value: 'X', error: null })
    await vi.advanceTimersByTimeAsync(10)
    pending[1]!.reject(new Error('engine down'))
    await vi.advanceTimersByTimeAsync(0)
    expect(states.at(-1)?.status).toBe('error')
    expect(states.at(-1)?.error?.message).toMatch(/engine down/)

    latest.request('y')
    latest.request(null)
    await vi.advanceTimersByTimeAsync(50)
    expect(pending).toHaveLength(2)
    expect(states.at(-1)).toEqual({ status: 'idle', value: null, error: null })
  })
})
