/**
 * Time under the test's control. `sleep` resolves only when `advance` moves the clock past its
 * deadline (or rejects when its signal aborts), so a test decides when retries and polls happen
 * and never depends on how fast the machine is.
 */
import type { Clock } from '../../src/main/core/clock'

interface Sleeper {
  at: number
  resolve(): void
}

export class FakeClock implements Clock {
  #now: number
  readonly #sleepers = new Set<Sleeper>()

  constructor(start: number = Date.UTC(2025, 2, 14, 9, 30)) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = (): void => {
        this.#sleepers.delete(sleeper)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      if (sleeper.at <= this.#now) return sleeper.resolve()
      this.#sleepers.add(sleeper)
    })
  }

  /** Moves time forward and wakes, in deadline order, every sleep that is now due. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('time only moves forward')
    this.#now += ms
    const due = [...this.#sleepers].filter((s) => s.at <= this.#now).sort((a, b) => a.at - b.at)
    for (const s of due) {
      this.#sleepers.delete(s)
      s.resolve()
    }
  }

  advanceTo(t: number): void {
    this.advance(Math.max(0, t - this.#now))
  }

  /** How many sleeps are waiting for time to pass. */
  get pendingSleeps(): number {
    return this.#sleepers.size
  }
}
