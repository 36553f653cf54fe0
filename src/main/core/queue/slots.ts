/**
 * A counting semaphore: at most `size` holders at once, the rest wait in arrival order. The queue
 * uses one to bound how many replies are being stored at a time (each holds a decoded image), so
 * a job can give its provider slot back as soon as the reply is read without memory growing.
 */
export class Slots {
  private used = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots needs a size of at least 1, got ${size}.`)
  }

  /** Resolves with a release function once a slot is free; calling release twice frees it once. */
  async acquire(): Promise<() => void> {
    if (this.used < this.size) this.used++
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    let held = true
    return () => {
      if (!held) return
      held = false
      const next = this.waiting.shift()
      // The slot passes straight to the next waiter, so `used` stays as it is.
      if (next) next()
      else this.used--
    }
  }

  /** Holders right now (for tests and figures). */
  get inUse(): number {
    return this.used
  }
}
