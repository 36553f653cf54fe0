/**
 * A whole number with thousands separators, "32,000", spelled as toLocaleString('en-US') spells it.
 * For text made when a module loads (a schema's limit message): the first Intl call sets up ICU,
 * about 10 ms, which a command that never shows that message should not pay at start-up.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US')
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',')
  return n < 0 ? `-${digits}` : digits
}
