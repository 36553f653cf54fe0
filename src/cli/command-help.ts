import type { ParseArgsConfig } from 'node:util'
import type { CliContext } from './context'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * One command's words for `proofsheet COMMAND --help`, declared beside the options its parser
 * takes: every option has a line in `flags` and every line an option (test/cli/command-help.test.ts
 * holds the two together), so the help cannot list a flag the parser refuses or leave one out.
 */
export interface CommandHelp {
  /** What the command does, in one line (also its line in the global help). */
  summary: string
  /** The usage line(s) after "proofsheet ". */
  usage: string[]
  /** Option name as the parser spells it (no dashes) -> "VALUE  what it does". */
  flags: Record<string, string>
  examples: string[]
  /** The exit codes this command can end with, beyond the contract's shared meaning. */
  exits: string
}

export interface Command<O extends Options = Options> {
  options: O
  help: CommandHelp
  run: (ctx: CliContext, argv: string[]) => Promise<number>
}

export const EXITS_NO_JOBS = '0 done, 2 bad input (the message names the flag and the fix)'
export const EXITS_WITH_JOBS = '0 all done, 1 some jobs failed or were held by a budget, 2 bad input (the message names the flag and the fix)'

/** The flags every command takes, worded once. */
export const GLOBAL_FLAG_HELP: Record<string, string> = {
  home: 'DIR  library folder (database, images); else $PROOFSHEET_HOME, else the OS app-data folder',
  json: 'one JSON document on stdout instead of text',
  help: 'this help (also: proofsheet help COMMAND)',
}

/** The first usage line, for parse errors ("Usage: ..."). */
export function usageLine(help: CommandHelp): string {
  return `proofsheet ${help.usage[0]}`
}

export function helpText(name: string, help: CommandHelp): string {
  const flagLines = (flags: Record<string, string>): string[] => {
    const rows = Object.entries(flags).map(([flag, text]) => {
      // "VALUE  what it does": the value goes beside the flag, the words in a column.
      const [value, ...words] = text.split('  ')
      const described = words.length > 0
      return { left: `--${flag}${described && value ? ` ${value}` : ''}`, right: described ? words.join('  ') : text }
    })
    const width = Math.max(...rows.map((r) => r.left.length))
    return rows.map((r) => `  ${r.left.padEnd(width)}  ${r.right}`)
  }
  return [
    `proofsheet ${name}: ${help.summary}`,
    '',
    'Usage:',
    ...help.usage.map((u) => `  proofsheet ${u}`),
    ...(Object.keys(help.flags).length > 0 ? ['', 'Flags:', ...flagLines(help.flags)] : []),
    '',
    'Global flags:',
    ...flagLines(GLOBAL_FLAG_HELP),
    '',
    'Examples:',
    ...help.examples.map((e) => `  ${e}`),
    '',
    `Exit codes: ${help.exits}.`,
  ].join('\n')
}
