import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError } from './cli-error'

type Options = NonNullable<ParseArgsConfig['options']>

export const GLOBAL_OPTIONS = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options

export interface Parsed<T> {
  values: T
  positionals: string[]
}

/**
 * node:util parseArgs in strict mode, with its errors rewritten to name the flag and the fix,
 * since "Unknown option '--szie'" alone does not tell a user what to type instead.
 */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  const all = { ...GLOBAL_OPTIONS, ...options }
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true, tokens: true })
  } catch (err) {
    const e = err as { code?: string; message: string }
    const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1]
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const known = Object.keys({ ...GLOBAL_OPTIONS, ...options }).map((k) => `--${k}`)
      const near = flag ? known.find((k) => similar(k, flag)) : undefined
      throw new CliError(`Unknown flag ${flag ?? ''}.`, near ? `Did you mean ${near}? Usage: ${usage}` : `Usage: ${usage}`)
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // "--size -5x5": parseArgs will not take a value that starts with a dash after a space.
      const next = flag ? argv[argv.indexOf(flag) + 1] : undefined
      if (flag && next?.startsWith('-') && !next.startsWith('--') && /ambiguous/.test(e.message)) {
        throw new CliError(`${flag} needs a value; "${next}" looks like a flag.`, `If "${next}" is the value, write ${flag}=${next}. Usage: ${usage}`, 2, flag)
      }
      throw new CliError(`${flag ?? 'A flag'} needs a value.`, `Usage: ${usage}`)
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new CliError(e.message, `Usage: ${usage}`)
    }
    throw new CliError(e.message, `Usage: ${usage}`)
  }
  refuseRepeats(parsed.tokens, all)
  return { values: parsed.values, positionals: parsed.positionals }
}

/** A flag that takes one value, given twice: the last one would win without a word, so say so. */
function refuseRepeats(tokens: ReturnType<typeof parseArgs>['tokens'] & object, options: Options): void {
  const seen = new Map<string, string | undefined>()
  for (const token of tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue
    if (seen.has(token.name)) {
      const values = options[token.name]?.type === 'string' ? ` ("${seen.get(token.name)}", then "${token.value}")` : ''
      throw new CliError(`--${token.name} is given twice${values}.`, `Give --${token.name} once.`, 2, `--${token.name}`)
    }
    seen.set(token.name, token.value)
  }
}

function similar(a: string, b: string): boolean {
  if (a === b) return false
  const x = a.replace(/^-+/, '')
  const y = b.replace(/^-+/, '')
  if (x.startsWith(y) || y.startsWith(x)) return true
  return [...x].sort().join('') === [...y].sort().join('')
}

export function integerFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max} (got "${text}").`, `For example --${name} ${min}.`, 2, name)
  }
  return Number(text)
}

export function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length > 0) {
    throw new CliError(`Unexpected argument "${positionals[0]}".`, `Usage: ${usage}. Quote a prompt with spaces: --prompt "..."`)
  }
}
