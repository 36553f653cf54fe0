import { describe, expect, it } from 'vitest'
import { Slots } from '../../../src/main/core/queue/slots'

const tick = () => new Promise((r) => setImmediate(r))

describe('Slots', () => {
  it('lets `size` holders in at once and the next in arrival order as each leaves', async () => {
    const slots = new Slots(2)
    const order: string[] = []
    const a = await slots.acquire()
    const b = await slots.acquire()
    const c = slots.acquire().then((release) => (order.push('c'), release))
    const d = slots.acquire().then((release) => (order.push('d'), release))
    await tick()
    expect(order).toEqual([])
    expect(slots.inUse).toBe(2)
    a()
    const releaseC = await c
    expect(order).toEqual(['c'])
    b()
    await d
    expect(order).toEqual(['c', 'd'])
    expect(slots.inUse).toBe(2)
    releaseC()
    expect(slots.inUse).toBe(1)
  })

  it('frees a slot once however often release is called', async () => {
    const slots = new Slots(1)
    const release = await slots.acquire()
    release()
    release()
    expect(slots.inUse).toBe(0)
    await slots.acquire()
    let second = false
    void slots.acquire().then(() => (second = true))
    await tick()
    expect(second).toBe(false)
  })

  it('counts weights: a heavy holder takes all the units, and waiters keep their turn', async () => {
    const slots = new Slots(4)
    const order: string[] = []
    const small = await slots.acquire(1)
    const heavy = slots.acquire(10).then((release) => (order.push('heavy'), release))
    // Would fit beside `small`, but the heavy one came first.
    const later = slots.acquire(1).then((release) => (order.push('later'), release))
    await tick()
    expect(order).toEqual([])
    small()
    const releaseHeavy = await heavy
    expect(slots.inUse).toBe(4)
    await tick()
    expect(order).toEqual(['heavy'])
    releaseHeavy()
    await later
    expect(order).toEqual(['heavy', 'later'])
    expect(slots.inUse).toBe(1)
  })

  it('refuses a size below one', () => {
    expect(() => new Slots(0)).toThrow(/at least 1/)
  })
})
