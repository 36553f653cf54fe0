import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { route } from './route'

/**
 * Money spent, per key, provider and local day (budgets.ts holds the caps on it). Amounts are never
 * added across currencies, and an unknown price is counted, never treated as zero.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
export const DayText = onFirstUse(() => z.string().refine((text) => {
  const m = DAY.exec(text)
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === text
}, 'dates look like 2025-03-14'))

/** One currency's sum of known amounts, and how many jobs had no known amount. */
export const MoneyTally = onFirstUse(() => z.object({
  currency: z.string(),
  amount: z.number(),
  /** Jobs whose amount is unknown (no price, or no reported charge): not in `amount`. */
  unknown: z.number().int(),
}))
export type MoneyTally = z.infer<typeof MoneyTally>

export const SpendFigures = onFirstUse(() => z.object({
  /** Jobs that reached a provider. */
  jobs: z.number().int(),
  /** What the price table said before each job ran. One entry per currency. */
  estimated: z.array(MoneyTally),
  /** What was charged (provider's figure, else the table price; failed calls cost nothing). */
  charged: z.array(MoneyTally),
}))
export type SpendFigures = z.infer<typeof SpendFigures>

export const MAX_SPEND_DAYS = 366

/** How many days a range of day texts covers, both ends included ("2025-03-01" to itself is 1). */
export function daysInRange(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1
}

export const SpendRange = onFirstUse(() => z
  .strictObject({
    /** The N local days ending today (default 30). */
    lastDays: z.number().int().min(1).max(MAX_SPEND_DAYS).optional(),
    from: DayText.optional(),
    to: DayText.optional(),
  })
  .superRefine((range, ctx) => {
    if (range.lastDays !== undefined && (range.from !== undefined || range.to !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['lastDays'], message: 'give either lastDays or from and to, not both' })
    } else if ((range.from === undefined) !== (range.to === undefined)) {
      const missing = range.from === undefined ? 'from' : 'to'
      ctx.addIssue({ code: 'custom', path: [missing], message: `${missing} is needed with ${missing === 'from' ? 'to' : 'from'}` })
    } else if (range.from !== undefined && range.to !== undefined) {
      if (range.from > range.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' })
      if (daysInRange(range.from, range.to) > MAX_SPEND_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `a range covers at most ${MAX_SPEND_DAYS} days` })
    }
  }))
export type SpendRange = z.infer<typeof SpendRange>

export const SpendSummary = onFirstUse(() => z.object({
  from: z.string(),
  to: z.string(),
  today: z.string(),
  /** Days are calendar days in this time zone (the engine's). */
  timeZone: z.string(),
  total: SpendFigures,
  /** A key by its label ($VAR for an environment key); null for providers that need none. */
  byKey: z.array(z.object({ key: z.string().nullable(), figures: SpendFigures })),
  byProvider: z.array(z.object({ provider: z.string(), figures: SpendFigures })),
  /** Every day of the range, oldest first, including days with nothing spent. */
  byDay: z.array(z.object({ day: z.string(), figures: SpendFigures })),
}))
export type SpendSummary = z.infer<typeof SpendSummary>

export const spendRoutes = onFirstUse(() => ({
  'spend.summary': route(SpendRange, SpendSummary),
} as const))
