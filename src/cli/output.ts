import { formatAmount } from '../shared/api'
import { JobProgress, type ProgressSink } from './progress'

/**
 * Everything the CLI prints goes through here: with --json, exactly one JSON document on stdout;
 * otherwise short human lines. Errors always go to stderr as text too.
 */
export interface Output {
  readonly json: boolean
  result(data: unknown, human: () => string): void
  info(line: string): void
  /** An amount for people, in the user's locale; --json output keeps the numbers instead. */
  money: MoneyText
  /** A live progress line on stderr for these jobs; null with --json, whose output is the contract alone. */
  progress(ids: Iterable<string>): JobProgress | null
}

/** An amount as text; null is a price nobody set, shown as a dash, never as free. */
export type MoneyText = (amount: number | null, currency: string) => string

export function createOutput(json: boolean, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, locale = 'en-US'): Output {
  const money: MoneyText = (amount, currency) => (amount === null ? '—' : formatAmount(amount, currency, locale))
  return {
    json,
    money,
    progress: (ids) => (json ? null : new JobProgress(ids, { sink: stderr as ProgressSink, money })),
    result(data, human) {
      if (json) stdout.write(`${JSON.stringify(data, null, 2)}\n`)
      else stdout.write(`${human()}\n`)
    },
    info(line) {
      stderr.write(`${line}\n`)
    },
  }
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return ''
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}
