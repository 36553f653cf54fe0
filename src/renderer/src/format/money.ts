/** Prices can be fractions of a cent per image, so show up to four decimals, at least two. */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency}`
  }
}
