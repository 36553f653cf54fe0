import { formatAmount } from '../../../../shared/api'

/**
 * Prices can be fractions of a cent per image, so show up to four decimals, at least two. A null
 * amount is a price the profile does not know: said so, never shown as free.
 */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null) return 'price not set'
  return formatAmount(amount, currency)
}
