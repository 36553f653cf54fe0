/**
 * Buffers for decoded images, lent by the queue to the reply reader and taken back once the image
 * is in the library. A realistic reply decodes to a few MB, allocated outside the JavaScript heap;
 * V8 starts a full collection for every few tens of MB of such memory, so a batch that allocated
 * a fresh buffer per image spent about 3 s of CPU collecting per 200 replies of 3 MB (issue 15's
 * queue benchmark: 27 full collections in its median run, 5 with the buffers reused).
 *
 * Ownership is the whole point, and it is kept narrow: a dialect may only borrow (ImageBufferSource
 * in providers/dialect.ts); only the job runner gives back, and only after the images of its call
 * have been written, hashed and recorded or removed, when nothing holds them any more. A buffer
 * given back too early would be written over by the next reply while its image is still being
 * stored, so anything not certainly finished is simply left to the garbage collector: a buffer
 * that is never given back costs an allocation, never an image.
 */
export interface ImageBuffersOptions {
  /** Most bytes kept idle for reuse; a buffer given back over this is dropped (default 64 MiB). */
  maxIdleBytes?: number
  /** sweep() lets the idle buffers go once none was taken for this long (default 30 s). */
  unusedMs?: number
}

/** Capacities are rounded up to this, so replies of nearly the same size share buffers. */
const GRAIN = 256 * 1024

export class ImageBuffers {
  private readonly maxIdleBytes: number
  /** Idle buffers, smallest first. */
  private readonly idle: Buffer[] = []
  private idleBytes = 0
  /**
   * What is lent out, by its memory. Weak: a buffer its borrower drops (a failed read, a partial
   * image kept for a preview) must not be held here.
   */
  private readonly lent = new WeakSet<ArrayBufferLike>()
  private readonly unusedMs: number
  /** Buffers taken so far, and how many had been when sweep() last saw the count change, and when. */
  private takes = 0
  private takesSeen = 0
  private seenAt: number | null = null

  constructor(options: ImageBuffersOptions = {}) {
    this.maxIdleBytes = options.maxIdleBytes ?? 64 * 2 ** 20
    this.unusedMs = options.unusedMs ?? 30_000
  }

  /** A buffer of at least `bytes` bytes, whose contents are left over from earlier use. */
  take(bytes: number): Buffer {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`An image buffer needs a whole number of bytes, got ${bytes}.`)
    // The smallest idle buffer that fits, unless it is over twice the size: a small image does
    // not tie up a buffer a large one will want.
    const at = this.idle.findIndex((b) => b.length >= bytes && b.length <= 2 * Math.max(bytes, GRAIN))
    let buffer: Buffer
    if (at >= 0) {
      buffer = this.idle.splice(at, 1)[0]!
      this.idleBytes -= buffer.length
    } else {
      // Its own memory, never a slice of Node's shared pool: the whole of it is lent.
      buffer = Buffer.allocUnsafeSlow(Math.max(GRAIN, Math.ceil(bytes / GRAIN) * GRAIN))
    }
    this.lent.add(buffer.buffer)
    this.takes++
    return buffer
  }

  /**
   * Takes back the buffer under `bytes` (any view of it) once nothing reads or writes it any more.
   * Bytes this pool did not lend, or already took back, are ignored.
   */
  giveBack(bytes: Uint8Array): void {
    const memory = bytes.buffer
    if (!this.lent.delete(memory)) return
    const buffer = Buffer.from(memory as ArrayBuffer)
    if (this.idleBytes + buffer.length > this.maxIdleBytes) return
    const at = this.idle.findIndex((b) => b.length >= buffer.length)
    this.idle.splice(at < 0 ? this.idle.length : at, 0, buffer)
    this.idleBytes += buffer.length
  }

  /**
   * Called on the queue's every wake-up: lets the idle buffers go once none was taken for
   * `unusedMs`, after a batch as while a job only polls a provider for minutes.
   */
  sweep(now: number): void {
    if (this.seenAt === null || this.takes !== this.takesSeen) {
      this.takesSeen = this.takes
      this.seenAt = now
    } else if (now - this.seenAt >= this.unusedMs) {
      this.idle.length = 0
      this.idleBytes = 0
    }
  }

  /** Bytes kept idle for reuse. */
  get idleSize(): number {
    return this.idleBytes
  }
}
