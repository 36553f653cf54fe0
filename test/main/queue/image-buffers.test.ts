/**
 * ImageBuffers: the queue's reusable buffers for decoded images. What matters is that a buffer is
 * only ever lent to one borrower at a time, and that what is kept idle stays bounded.
 */
import { describe, expect, it } from 'vitest'
import { ImageBuffers } from '../../../src/main/core/queue/image-buffers'

describe('ImageBuffers', () => {
  it('lends buffers of their own memory, at least as large as asked', () => {
    const pool = new ImageBuffers()
    for (const bytes of [0, 1, 4096, 300_000, 3_200_000]) {
      const b = pool.take(bytes)
      expect(b.length).toBeGreaterThanOrEqual(bytes)
      // Never a slice of Node's shared allocation pool: the whole memory is the borrower's.
      expect(b.byteOffset).toBe(0)
      expect(b.buffer.byteLength).toBe(b.length)
    }
  })

  it('lends a buffer given back again, through any view of it', () => {
    const pool = new ImageBuffers()
    const first = pool.take(3_000_000)
    pool.giveBack(first.subarray(0, 2_999_000))
    expect(pool.idleSize).toBe(first.length)
    const again = pool.take(3_000_000)
    expect(again.buffer === first.buffer).toBe(true)
    expect(pool.idleSize).toBe(0)
    // With nothing idle, the next borrower gets new memory, not the lent one.
    expect(pool.take(3_000_000).buffer === first.buffer).toBe(false)
  })

  it('takes back a buffer once: a second give-back cannot lend it to two borrowers', () => {
    const pool = new ImageBuffers()
    const b = pool.take(1_000_000)
    pool.giveBack(b)
    pool.giveBack(b)
    expect(pool.idleSize).toBe(b.length)
    const one = pool.take(1_000_000)
    const two = pool.take(1_000_000)
    expect(one.buffer === b.buffer).toBe(true)
    expect(two.buffer === b.buffer).toBe(false)
  })

  it('ignores bytes it did not lend', () => {
    const pool = new ImageBuffers()
    pool.giveBack(Buffer.allocUnsafeSlow(1_000_000))
    pool.giveBack(new Uint8Array(10))
    expect(pool.idleSize).toBe(0)
    const other = new ImageBuffers()
    pool.giveBack(other.take(1_000_000))
    expect(pool.idleSize).toBe(0)
  })

  it('lends the smallest idle buffer that fits, and none over twice the size asked', () => {
    const pool = new ImageBuffers()
    const big = pool.take(8_000_000)
    const small = pool.take(1_000_000)
    const middle = pool.take(3_000_000)
    for (const b of [big, small, middle]) pool.giveBack(b)
    // (Compared as booleans: a failed toBe on two buffers prints megabytes.)
    expect(pool.take(2_000_000).buffer === middle.buffer).toBe(true)
    expect(pool.take(600_000).buffer === small.buffer).toBe(true)
    // Only the 8 MB one is idle now: a 600 kB image gets new memory rather than tie it up.
    expect(pool.take(600_000).buffer === big.buffer).toBe(false)
    expect(pool.take(7_000_000).buffer === big.buffer).toBe(true)
  })

  it('keeps at most maxIdleBytes idle, and lends none of them again once swept', () => {
    const pool = new ImageBuffers({ maxIdleBytes: 5 * 2 ** 20, unusedMs: 1000 })
    const lent = [pool.take(2 * 2 ** 20), pool.take(2 * 2 ** 20), pool.take(2 * 2 ** 20)]
    for (const b of lent) pool.giveBack(b)
    // The third would make 6 MiB idle: it is dropped, left to the garbage collector.
    expect(pool.idleSize).toBe(4 * 2 ** 20)
    pool.sweep(0)
    pool.sweep(1000)
    expect(pool.idleSize).toBe(0)
    const after = pool.take(2 * 2 ** 20).buffer
    expect(lent.some((b) => b.buffer === after)).toBe(false)
  })

  it('lets the idle buffers go once none was taken for unusedMs, as sweep() sees it', () => {
    const pool = new ImageBuffers({ unusedMs: 30_000 })
    pool.sweep(0)
    const a = pool.take(2_000_000)
    pool.giveBack(a)
    pool.sweep(1_000) // a take since the last look: the clock starts again here
    pool.sweep(30_999)
    expect(pool.idleSize).toBe(a.length)
    // Taken again meanwhile: still in use, the wait starts over.
    pool.giveBack(pool.take(2_000_000))
    pool.sweep(31_000)
    pool.sweep(60_999)
    expect(pool.idleSize).toBe(a.length)
    pool.sweep(61_000)
    expect(pool.idleSize).toBe(0)
  })

  it('refuses a size that is not a whole number of bytes', () => {
    const pool = new ImageBuffers()
    expect(() => pool.take(-1)).toThrow(/whole number of bytes, got -1/)
    expect(() => pool.take(1.5)).toThrow(/whole number of bytes/)
    expect(() => pool.take(Number.NaN)).toThrow(/whole number of bytes/)
  })
})
