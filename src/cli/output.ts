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
  return `${symbol}${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4, useGrouping: false })}`
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return ''
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}
