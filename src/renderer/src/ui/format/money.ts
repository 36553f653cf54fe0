import { formatAmount } from '../../../../shared/api'

/** The browser's own language: money reads as the user's other apps write it ("5,00 €" in de-DE). */
export function browserLocale(): string {
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US'
}

/**
 * Prices can be fractions of a cent per image, so show up to four decimals, at least two. A null
 * amount is a price the profile does not know: said so, never shown as free. The words come from
 * the one formatter the command line uses too (src/shared/api/money.ts), in the browser's locale.
 */
export function formatMoney(amount: number | null, currency: string, locale = browserLocale()): string {
  if (amount === null) return 'price not set'
  return formatAmount(amount, currency, locale)
}
