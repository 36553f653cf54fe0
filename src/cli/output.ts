/**
 * Everything the CLI prints goes through here: with --json, exactly one JSON document on stdout;
 * otherwise short human lines. Errors always go to stderr as text too.
 */
export interface Output {
  readonly json: boolean
  result(data: unknown, human: () => string): void
  info(line: string): void
}

export function createOutput(json: boolean, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Output {
  return {
    json,
    result(data, human) {
      if (json) stdout.write(`${JSON.stringify(data, null, 2)}\n`)
      else stdout.write(`${human()}\n`)
    },
    info(line) {
      stderr.write(`${line}\n`)
    },
  }
}

export function money(amount: number | null, currency: string): string {
  if (amount === null) return '—'
  const symbol = currency === 'USD' ? '$' : `${currency} `
  // Per-image prices such as $0.015 must not be rounded away: up to 4 decimals, at least 2.
  return `${symbol}${decimals(amount, 2, 4)}`
}

/**
 * `amount` with `min` to `max` decimals and no grouping, as toLocaleString('en-US') writes it (the
 * shortest decimal spelling, rounded half away from zero), without Intl: its first call sets up
 * ICU, about 10 ms, a third of what `proofsheet providers` may take on top of Node's own start.
 */
export function decimals(amount: number, min: number, max: number): string {
  const spelled = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(amount))
  // Exponent forms (below 1e-6, from 1e21) and NaN: rare enough to leave to Intl.
  if (!spelled) return amount.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: false })
  const [, sign, whole, fraction = ''] = spelled
  let units = BigInt(whole! + fraction.slice(0, max).padEnd(max, '0'))
  if (fraction.length > max && fraction[max]! >= '5') units += 1n
  const digits = units.toString().padStart(max + 1, '0')
  const kept = digits.slice(-max).replace(/0+$/, '').padEnd(min, '0')
  return `${sign}${digits.slice(0, -max)}${kept ? `.${kept}` : ''}`
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return ''
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}
