/** Summaries of repeated measurements, shared by the benchmarks. */

/** The value below which `q` (0..1) of the samples fall, by nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5)
export const p95 = (xs: readonly number[]): number => quantile(xs, 0.95)
export const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Milliseconds with a sensible number of decimals for a table. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-'
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)
}
