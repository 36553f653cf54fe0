import { roundMoney, type MoneyTally, type SpendFigures, type SpendRange, type SpendSummary } from '../../../shared/api'
import type { SpendRow, SpendRepo } from '../store/spend-repo'
import { addDays, daysBetween, type Calendar } from './calendar'

export const DEFAULT_SPEND_DAYS = 30

/** Sums rows into figures, one tally per currency: different currencies are never added. */
class FiguresBuilder {
  private jobs = 0
  private readonly estimated = new Map<string, MoneyTally>()
  private readonly charged = new Map<string, MoneyTally>()

  add(row: SpendRow): void {
    this.jobs += row.jobs
    tally(this.estimated, row.currency, row.estimated, row.estimateUnknown)
    tally(this.charged, row.currency, row.charged, row.chargeUnknown)
  }

  build(): SpendFigures {
    return { jobs: this.jobs, estimated: tallies(this.estimated), charged: tallies(this.charged) }
  }
}

function tally(into: Map<string, MoneyTally>, currency: string, amount: number, unknown: number): void {
  const found = into.get(currency) ?? { currency, amount: 0, unknown: 0 }
  into.set(currency, { currency, amount: found.amount + amount, unknown: found.unknown + unknown })
}

function tallies(from: Map<string, MoneyTally>): MoneyTally[] {
  return [...from.values()]
    .map((t) => ({ ...t, amount: roundMoney(t.amount) }))
    .sort((a, b) => a.currency.localeCompare(b.currency))
}

function groupBy<K>(rows: readonly SpendRow[], key: (row: SpendRow) => K): Map<K, FiguresBuilder> {
  const groups = new Map<K, FiguresBuilder>()
  for (const row of rows) {
    const k = key(row)
    let builder = groups.get(k)
    if (!builder) groups.set(k, (builder = new FiguresBuilder()))
    builder.add(row)
  }
  return groups
}

/** The first and last day a range asks for, in the calendar's time zone. */
export function resolveRange(range: SpendRange, today: string): { from: string; to: string } {
  if (range.from !== undefined && range.to !== undefined) return { from: range.from, to: range.to }
  return { from: addDays(today, -((range.lastDays ?? DEFAULT_SPEND_DAYS) - 1)), to: today }
}

/** Spend by key, provider and local day for a range of days. */
export function spendSummary(spend: SpendRepo, calendar: Calendar, now: number, range: SpendRange): SpendSummary {
  const today = calendar.dayOf(now)
  const { from, to } = resolveRange(range, today)
  const days = daysBetween(from, to).map((day) => ({ day, ...calendar.span(day) }))
  const rows = spend.rows(days)

  const total = new FiguresBuilder()
  for (const row of rows) total.add(row)
  const perDay = groupBy(rows, (r) => r.day)
  const empty = new FiguresBuilder().build()
  const byKey = [...groupBy(rows, (r) => r.keyLabel)]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([key, figures]) => ({ key, figures: figures.build() }))
  const byProvider = [...groupBy(rows, (r) => r.provider)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, figures]) => ({ provider, figures: figures.build() }))

  return {
    from,
    to,
    today,
    timeZone: calendar.timeZone,
    total: total.build(),
    byKey,
    byProvider,
    byDay: days.map(({ day }) => ({ day, figures: perDay.get(day)?.build() ?? empty })),
  }
}
