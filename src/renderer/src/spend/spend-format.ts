import { formatAmount, type MoneyTally } from '../../../shared/api'

/**
 * Totals that may span currencies and include jobs without a price: "$1.20 + 3 unpriced",
 * "$4.00 · €2.50". Currencies are listed side by side, never added.
 */
export function formatTallies(tallies: readonly MoneyTally[]): string {
  if (tallies.length === 0) return '—'
  return tallies
    .map((t) => {
      const unpriced = t.unknown > 0 ? ` + ${t.unknown} unpriced` : ''
      // A currency with only unpriced jobs shows just that, not a misleading $0.00.
      if (t.amount === 0 && t.unknown > 0) return `${t.unknown} unpriced`
      return `${formatAmount(t.amount, t.currency)}${unpriced}`
    })
    .join(' · ')
}

/** The known amount in one currency (0 when none). */
export function amountIn(tallies: readonly MoneyTally[], currency: string): number {
  return tallies.find((t) => t.currency === currency)?.amount ?? 0
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2025-03-14" as "Mar 14" (the day is already local: no time zone is applied). */
export function shortDay(day: string): string {
  const [, month, date] = day.split('-').map(Number) as [number, number, number]
  return `${MONTHS[month - 1]} ${date}`
}
