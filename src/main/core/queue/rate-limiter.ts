import type { Clock } from '../clock'

/**
 * Spaces out call starts per provider profile: at most N per rolling minute, and none at all
 * while the provider has asked us to back off (a 429 with Retry-After holds every job of that
 * profile, not just the one that got it, so a batch does not keep knocking).
 */
export class RateLimiter {
  private readonly starts = new Map<string, number[]>()
  private readonly heldUntil = new Map<string, number>()

  constructor(private readonly clock: Clock) {}

  /** Resolves when a call for `key` may start, and counts it as started. */
  async acquire(key: string, perMinute: number | undefined, signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      let wait = Math.max(0, (this.heldUntil.get(key) ?? 0) - now)
      const recent = (this.starts.get(key) ?? []).filter((t) => t > now - 60_000)
      if (perMinute !== undefined && recent.length >= perMinute) wait = Math.max(wait, recent[0]! + 60_000 - now)
      if (wait <= 0) {
        recent.push(now)
        this.starts.set(key, recent)
        return
      }
      await this.clock.sleep(wait, signal)
    }
  }

  /** Resolves when no Retry-After holds `key`, without counting a start (a poll, not a new call). */
  async whenClear(key: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const wait = (this.heldUntil.get(key) ?? 0) - this.clock.now()
      if (wait <= 0) return
      await this.clock.sleep(wait, signal)
    }
  }

  holdUntil(key: string, at: number): void {
    this.heldUntil.set(key, Math.max(this.heldUntil.get(key) ?? 0, at))
  }
}
