import { ApiError } from '../../../shared/api'

/**
 * Local calendar days in one IANA time zone. Spend is reported per day and daily budgets roll
 * over at local midnight, so "today" must mean the user's day, not UTC's. Days are plain
 * 'YYYY-MM-DD' strings; instants are epoch milliseconds.
 */
export class Calendar {
  private formatter: Intl.DateTimeFormat | null = null

  /**
   * A zone given by name is checked here, so a bad one is refused where it is passed. The system's
   * own zone is read on first use: ICU's time-zone set-up is several milliseconds that a command
   * which never asks for a day (`proofsheet providers`) should not pay at start-up.
   */
  constructor(private readonly requested?: string) {
    if (requested !== undefined) this.formatter = formatterFor(requested)
  }

  get timeZone(): string {
    return this.parts.resolvedOptions().timeZone
  }

  private get parts(): Intl.DateTimeFormat {
    return (this.formatter ??= formatterFor(this.requested ?? systemTimeZone()))
  }

  /** The local day an instant falls on. */
  dayOf(t: number): string {
    const p = this.fields(t)
    return `${p.year}-${pad(p.month)}-${pad(p.day)}`
  }

  /** The first instant of a local day (its midnight, or the first hour after a skipped one). */
  startOf(day: string): number {
    const wall = Date.UTC(...ymd(day))
    let t = wall - this.offsetAt(wall)
    t = wall - this.offsetAt(t)
    // Where clocks jump forward at midnight, midnight itself does not exist: step into the day.
    while (this.dayOf(t) < day) t += 15 * 60_000
    while (this.dayOf(t - 1) === day) t -= 15 * 60_000
    return t
  }

  /** The half-open interval [start, end) of a local day. */
  span(day: string): { start: number; end: number } {
    return { start: this.startOf(day), end: this.startOf(addDays(day, 1)) }
  }

  private offsetAt(t: number): number {
    const p = this.fields(t)
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
    return asUtc - Math.floor(t / 1000) * 1000
  }

  private fields(t: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
    for (const part of this.parts.formatToParts(t)) {
      if (part.type in out) out[part.type as keyof typeof out] = Number(part.value)
    }
    return out
  }
}

export function formatterFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
  } catch {
    throw new ApiError('bad_input', `"${timeZone}" is not a time zone this system knows.`, {
      field: 'timeZone',
      fix: 'Use an IANA name such as Europe/Berlin or America/New_York.',
    })
  }
}

function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** Calendar arithmetic on day strings; no time zone involved. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = ymd(day)
  return new Date(Date.UTC(y, m, d + n)).toISOString().slice(0, 10)
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}

function ymd(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return [y, m - 1, d]
}

const pad = (n: number): string => String(n).padStart(2, '0')
