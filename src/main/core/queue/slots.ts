/**
 * A counting semaphore over units: holders take a weight of units, at most `size` units are held
 * at once, and waiters are served in arrival order (a heavy one is not overtaken forever). The
 * queue counts images in it, to bound how many decoded images are being stored at a time, so a job
 * can give its provider slot back as soon as its reply is read without memory growing.
 */
export class Slots {
  private used = 0
  private readonly waiting: { weight: number; grant: () => void }[] = []

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots needs a size of at least 1, got ${size}.`)
  }

  /**
   * Resolves with a release function once `weight` units are free (a weight above the size takes
   * them all); calling release twice frees them once.
   */
  async acquire(weight = 1): Promise<() => void> {
    const units = Math.min(this.size, Math.max(1, Math.ceil(weight)))
    if (this.waiting.length === 0 && this.used + units <= this.size) this.used += units
    else await new Promise<void>((grant) => this.waiting.push({ weight: units, grant }))
    let held = true
    return () => {
      if (!held) return
      held = false
      this.used -= units
      this.grantWaiting()
    }
  }

  /** Units held right now (for tests and figures). */
  get inUse(): number {
    return this.used
  }

  private grantWaiting(): void {
    for (let next = this.waiting[0]; next && this.used + next.weight <= this.size; next = this.waiting[0]) {
      this.waiting.shift()
      this.used += next.weight
      next.grant()
    }
  }
}
