/**
 * A whole number with thousands separators, "32,000", spelled as toLocaleString('en-US') spells it.
 * For text made when a module loads (a schema's limit message): the first Intl call sets up ICU,
 * about 10 ms, which a command that never shows that message should not pay at start-up.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US')
  const digits = groupThousands(String(Math.abs(n)))
  return n < 0 ? `-${digits}` : digits
}

/** "1234567" -> "1,234,567": a run of digits grouped by thousands, as en-US writes it. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',')
}

/**
 * An amount in US dollars as Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
 * writes it with 2 to 4 decimals ("$1,234.5" -> "$1,234.50", "$0.015"), or null where only Intl
 * knows (negative, exponent forms, not finite). Intl's first call sets up ICU, about 10 ms, a tenth
 * of a quick command's start; the prices of every built-in profile are in dollars, and en-US is the
 * command line's locale unless the environment names another.
 * Rounding as ICU does it: from the shortest decimal spelling of the number, halves away from zero.
 */
export function plainUsd(amount: number): string | null {
  const spelled = /^(\d+)(?:\.(\d+))?$/.exec(String(amount))
  if (!spelled || Object.is(amount, -0)) return null
  const [, whole, fraction = ''] = spelled
  const MAX = 4
  let units = BigInt(whole! + fraction.slice(0, MAX).padEnd(MAX, '0'))
  if (fraction.length > MAX && fraction[MAX]! >= '5') units += 1n
  const digits = units.toString().padStart(MAX + 1, '0')
  const kept = digits.slice(-MAX).replace(/0+$/, '').padEnd(2, '0')
  const grouped = groupThousands(digits.slice(0, -MAX))
  return `$${grouped}.${kept}`
}
