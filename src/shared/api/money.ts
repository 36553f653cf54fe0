import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { plainUsd } from '../format/digits'

export const Money = onFirstUse(() => z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) }))
export type Money = z.infer<typeof Money>

/** A budget that queueing some work would pass, in words the cost preview shows as they are. */
export const BudgetWarning = onFirstUse(() => z.object({ budgetId: z.string(), message: z.string() }))
export type BudgetWarning = z.infer<typeof BudgetWarning>

/** A null price means the profile has none set (e.g. Tokensmart until the user enters one). */
export const EstimateLine = onFirstUse(() => z.object({
  size: z.string(),
  images: z.number().int().nonnegative(),
  unitPrice: z.number().nonnegative().nullable(),
  subtotal: z.number().nonnegative().nullable(),
}))
export const Estimate = onFirstUse(() => z.object({
  provider: z.string(),
  currency: z.string(),
  lines: z.array(EstimateLine),
  /** Null when any line has no price: a partial sum would understate the cost. */
  total: z.number().nonnegative().nullable(),
  source: z.string(),
  /** Budgets this generation would pass if queued now (absent: none would, or none apply). */
  budgetWarnings: z.array(BudgetWarning).optional(),
}))
export type Estimate = z.infer<typeof Estimate>

/** Money is kept to micro-units (a millionth of the currency): prices go below a cent per image. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6
}

/** A sum taken in micro-units, so a batch's total equals the sum of its rows exactly. */
export function sumMoney(amounts: readonly number[]): number {
  return roundMoney(amounts.reduce((sum, a) => sum + Math.round(a * 1e6), 0) / 1e6)
}

/**
 * An amount in its currency for people, in their locale: "$0.015" and "€5.00" in en-US, "5,00 €"
 * in de-DE; never rounds a fraction of a cent away. The one money formatter of every door: the CLI
 * passes the locale of its environment (LC_ALL, LC_MONETARY, LANG), the app the browser's. Engine
 * messages leave it out and are worded in en-US. Machine output (--json, the contract) keeps numbers.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-US'): string {
  // The common case without Intl (its first call costs a quick command ~10 ms): same text, tested.
  if (currency === 'USD' && locale === 'en-US') {
    const plain = plainUsd(amount)
    if (plain !== null) return plain
  }
  for (const tag of [locale, 'en-US']) {
    try {
      return new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount)
    } catch {
      // A locale Intl does not take falls back to en-US; a currency it does not know, to the code.
    }
  }
  return `${amount.toFixed(2)} ${currency}`
}
