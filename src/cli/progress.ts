import type { JobView } from '../shared/api'
import type { MoneyText } from './output'

/**
 * The live line of long work (`generate --wait`, `batch --wait`, `run`): done, failed, held,
 * spent and elapsed, from the engine's own job events. On a terminal it is one line rewritten in
 * place; into a pipe or a log file it is a plain line at most every `plainEveryMs`, so a 200-job
 * batch does not write 600 lines. It writes to stderr only: stdout stays the command's result, and
 * with --json nothing is drawn at all (callers pass no sink).
 */
export interface ProgressClock {
  now(): number
  /** Calls `tick` every `ms` until the returned function is called; must not keep the process alive. */
  every(ms: number, tick: () => void): () => void
}

export const systemClock: ProgressClock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms)
    timer.unref()
    return () => clearInterval(timer)
  },
}

export interface ProgressSink {
  write(text: string): unknown
  isTTY?: boolean
}

export interface ProgressOptions {
  sink: ProgressSink
  money: MoneyText
  clock?: ProgressClock
  /** How often a plain line may be written when the sink is not a terminal. */
  plainEveryMs?: number
}

type Seen = Pick<JobView, 'status' | 'heldReason' | 'chargedCost' | 'currency'>

const FAILED: ReadonlySet<string> = new Set(['failed', 'canceled', 'interrupted'])
const TTY_TICK_MS = 1_000
export const PLAIN_EVERY_MS = 10_000

export class JobProgress {
  private readonly jobs = new Map<string, Seen | null>()
  private readonly clock: ProgressClock
  private readonly started: number
  private readonly tty: boolean
  private readonly plainEveryMs: number
  private readonly stopTicking: () => void
  private lastPlain: number | null = null
  private lastPlainText = ''
  private lastDrawn = ''
  private finished = false

  constructor(
    ids: Iterable<string>,
    private readonly opts: ProgressOptions,
  ) {
    for (const id of ids) this.jobs.set(id, null)
    this.clock = opts.clock ?? systemClock
    this.started = this.clock.now()
    this.tty = opts.sink.isTTY === true
    this.plainEveryMs = opts.plainEveryMs ?? PLAIN_EVERY_MS
    // The elapsed time moves while no job does: redraw it (a terminal) or report it (a pipe, bounded).
    this.stopTicking = this.clock.every(this.tty ? TTY_TICK_MS : this.plainEveryMs, () => this.draw())
    this.draw()
  }

  /** A job's new state; `track` adds a job not known at the start (e.g. recovered work in `run`). */
  update(job: JobView & Seen, track = false): void {
    if (this.finished || (!track && !this.jobs.has(job.id))) return
    this.jobs.set(job.id, job)
    this.draw()
  }

  /** The last line, ended, so the command's result starts on a line of its own. */
  finish(): void {
    if (this.finished) return
    this.stopTicking()
    const text = this.text()
    if (this.tty) this.opts.sink.write(`\r\u001b[2K${text}\n`)
    else if (text !== this.lastPlainText) this.opts.sink.write(`${text}\n`)
    this.finished = true
  }

  text(): string {
    let done = 0
    let failed = 0
    let held = 0
    const spent = new Map<string, number>()
    for (const job of this.jobs.values()) {
      if (!job) continue
      if (job.status === 'succeeded') done++
      else if (FAILED.has(job.status)) failed++
      else if (job.heldReason) held++
      if (job.chargedCost !== null) spent.set(job.currency, (spent.get(job.currency) ?? 0) + job.chargedCost)
    }
    // Nothing charged yet: zero in the jobs' own currency, so the line does not switch currency later.
    const currency = [...this.jobs.values()].find((j) => j !== null)?.currency ?? 'USD'
    const money = spent.size === 0 ? this.opts.money(0, currency) : [...spent].map(([currency, amount]) => this.opts.money(amount, currency)).join(' + ')
    return `${done + failed}/${this.jobs.size} jobs: ${done} done, ${failed} failed, ${held} held; spent ${money}; ${elapsed(this.clock.now() - this.started)}`
  }

  private draw(): void {
    if (this.finished) return
    const text = this.text()
    if (this.tty) {
      // Only when the line changed: an unchanged redraw is flicker and bytes for nothing.
      if (text !== this.lastDrawn) this.opts.sink.write(`\r\u001b[2K${text}`)
      this.lastDrawn = text
      return
    }
    const now = this.clock.now()
    if (this.lastPlain !== null && now - this.lastPlain < this.plainEveryMs) return
    this.lastPlain = now
    this.lastPlainText = text
    this.opts.sink.write(`${text}\n`)
  }
}

function elapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const m = Math.floor(seconds / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${s} elapsed` : `${m}:${s} elapsed`
}
