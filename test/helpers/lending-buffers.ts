/**
 * A stand-in for the queue's ImageBuffers as a dialect sees it: every buffer it lends is larger
 * than asked and full of leftovers (as a reused one is), which must never show in an image, and
 * each loan is noted for the test to check.
 */
import type { ImageBufferSource } from '../../src/main/core/providers/dialect'

export function lendingBuffers(): ImageBufferSource & { lent: { asked: number; buffer: Buffer }[] } {
  const lent: { asked: number; buffer: Buffer }[] = []
  return {
    lent,
    take: (bytes) => {
      const buffer = Buffer.alloc(bytes + 4096, 0xee)
      lent.push({ asked: bytes, buffer })
      return buffer
    },
  }
}
