import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../../src/main/core/queue/rate-limiter'
import { FakeClock } from '../../helpers/fake-clock'

const tick = () => new Promise((r) => setImmediate(r))

describe('RateLimiter', () => {
  it('lets N calls start per rolling minute and holds the next until the oldest is a minute old', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(clock)
    const signal = new AbortController().signal
    const t0 = clock.now()
    for (let i = 0; i < 3; i++) {
      await limiter.acquire('p', 3, signal)
      clock.advance(1000)
    }
    let started = false
    const fourth = limiter.acquire('p', 3, signal).then(() => (started = true))
    await tick()
    expect(started).toBe(false)
    clock.advance(t0 + 60_000 - clock.now() - 1)
    await tick()
    expect(started).toBe(false)
    clock.advance(1)
    await fourth
    expect(started).toBe(true)
  })

  it('holds every call of a profile after a Retry-After, and other profiles not at all', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(clock)
    const signal = new AbortController().signal
    limiter.holdUntil('busy', clock.now() + 5000)
    await limiter.acquire('other', undefined, signal)
    let started = false
    const held = limiter.acquire('busy', undefined, signal).then(() => (started = true))
    clock.advance(4999)
    await tick()
    expect(started).toBe(false)
    clock.advance(1)
    await held
    expect(started).toBe(true)
  })

  it('lets a poll wait out a Retry-After without spending a start of the minute', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(clock)
    const signal = new AbortController().signal
    await limiter.whenClear('p', signal) // nothing holds it: at once
    limiter.holdUntil('p', clock.now() + 3000)
    let clear = false
    const waiting = limiter.whenClear('p', signal).then(() => (clear = true))
    clock.advance(2999)
    await tick()
    expect(clear).toBe(false)
    clock.advance(1)
    await waiting
    // The one start a minute is still there to take: waiting was not a start.
    await limiter.acquire('p', 1, signal)
    let second = false
    void limiter.acquire('p', 1, signal).then(() => (second = true))
    await tick()
    expect(second).toBe(false)
  })

  it('gives up waiting when the job is canceled', async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(clock)
    const controller = new AbortController()
    limiter.holdUntil('p', clock.now() + 60_000)
    const waiting = limiter.acquire('p', undefined, controller.signal)
    controller.abort(new Error('canceled'))
    await expect(waiting).rejects.toThrow('canceled')
  })
})
