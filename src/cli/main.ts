#!/usr/bin/env node
import { pathToFileURL } from 'node:url'
import { ApiError } from '../shared/api/errors'
import { CliError, EXIT_BAD_INPUT, EXIT_OK, fromApiError } from './cli-error'
import { logUncaught, openDoorLog, storageApiError } from '../main/core'
import { CliContext } from './context'
import { createOutput } from './output'
import { moneyLocale } from './locale'
import { BATCH } from './commands/batch'
import { ESTIMATE, GENERATE } from './commands/generate'
import { EXPORT } from './commands/export'
import { GALLERY, PROVIDERS } from './commands/gallery'
import { KEYS } from './commands/keys'
import { CANCEL, QUEUE, RETRY, RUN } from './commands/queue'
import { TEMPLATES } from './commands/templates'
import { GLOBAL_FLAG_HELP, helpText, type Command } from './command-help'
import { packageVersion } from './version'

/**
 * `proofsheet`: the headless door to the same engine the app uses. The command-line contract
 * (commands, flags, --json, exit codes) is in docs/design.md; scripts depend on it, so keep it stable.
 */
export const COMMANDS: Record<string, Command> = {
  providers: PROVIDERS,
  estimate: ESTIMATE,
  generate: GENERATE,
  queue: QUEUE,
  run: RUN,
  cancel: CANCEL,
  retry: RETRY,
  gallery: GALLERY,
  keys: KEYS,
  templates: TEMPLATES,
  export: EXPORT,
  batch: BATCH,
}

/** The global help, made from each command's own summary so the two cannot disagree. */
function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  return [
    'proofsheet <command> [--home DIR] [--json]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.help.summary}`),
    '',
    'Global flags:',
    ...Object.entries(GLOBAL_FLAG_HELP).map(([flag, text]) => `  --${flag}  ${text.replace('  ', ': ')}`),
    '  --version, -V  the version of proofsheet',
    '',
    'Each command\'s own flags, examples and exit codes: proofsheet COMMAND --help (or proofsheet help COMMAND).',
    'Library folder: --home DIR, else $PROOFSHEET_HOME, else the OS app-data folder.',
    'Exit codes: 0 all done, 1 some jobs failed or were held by a budget, 2 bad input.',
  ].join('\n')
}

export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }
  env: Record<string, string | undefined>
  signal: AbortSignal
}

/** Runs one command and returns its exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Global flags may come before or after the command; pull them out first.
  const home = takeValue(argv, '--home')
  const json = takeFlag(argv, '--json')
  const out = createOutput(json, io.stdout, io.stderr, moneyLocale(io.env))
  const [command, ...rest] = argv
  if (command === '--version' || command === '-V') {
    const version = packageVersion()
    out.result({ version }, () => `proofsheet ${version}`)
    return EXIT_OK
  }
  const helpFor = command === 'help' ? rest[0] : rest.includes('--help') || rest.includes('-h') ? command : undefined
  if (!command || command === '--help' || command === '-h' || (command === 'help' && helpFor === undefined)) {
    const help = globalHelp()
    out.result({ help }, () => help)
    return command ? EXIT_OK : EXIT_BAD_INPUT
  }
  let ctx: CliContext | null = null
  try {
    const name = helpFor ?? command
    const chosen = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
    if (!chosen) {
      throw new CliError(`Unknown command "${name}".`, `Commands: ${Object.keys(COMMANDS).join(', ')}. See "proofsheet help".`)
    }
    if (helpFor !== undefined) {
      const help = helpText(name, chosen.help)
      out.result({ help }, () => help)
      return EXIT_OK
    }
    ctx = new CliContext(CliContext.homeFrom(home.value, io.env), out, io.env, io.stdin, io.signal)
    if (home.error) throw home.error
    return await chosen.run(ctx, rest)
  } catch (err) {
    return report(err, out, io)
  } finally {
    await ctx?.close().catch(() => undefined)
  }
}

function report(err: unknown, out: ReturnType<typeof createOutput>, io: CliIo): number {
  // The engine's own refusals (outside a contract call) are messages for the user, not crashes.
  if (err instanceof ApiError) return report(fromApiError(err.toJSON()), out, io)
  // SQLite found the database damaged outside a contract call (opening the queue, a sweep).
  const damaged = storageApiError(err)
  if (damaged?.field === 'library') return report(fromApiError(damaged.toJSON()), out, io)
  if (err instanceof CliError) {
    io.stderr.write(`error: ${visible(err.message)}\n${err.fix ? `fix: ${visible(err.fix)}\n` : ''}`)
    if (out.json) io.stdout.write(`${JSON.stringify({ error: { message: err.message, fix: err.fix ?? null, flag: err.field ?? null } })}\n`)
    return err.exitCode
  }
  if ((err as Error)?.name === 'AbortError' || io.signal.aborted) {
    io.stderr.write('Stopped. Jobs still queued will continue with "proofsheet run" or in the app.\n')
    return 130
  }
  io.stderr.write(`error: unexpected problem: ${(err as Error)?.stack ?? String(err)}\n`)
  if (out.json) io.stdout.write(`${JSON.stringify({ error: { message: String((err as Error)?.message ?? err) } })}\n`)
  return 1
}

/**
 * Messages quote what the user typed; an escape sequence in a flag's value must not reach the
 * terminal as one (it could recolour, retitle or hide output), so control characters are shown
 * as \u{...}. JSON output escapes them by itself.
 */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not pass
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
}

function takeFlag(argv: string[], name: string): boolean {
  const i = argv.indexOf(name)
  if (i === -1) return false
  argv.splice(i, 1)
  return true
}

function takeValue(argv: string[], name: string): { value: string | undefined; error?: CliError } {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
  if (i === -1) return { value: undefined }
  const arg = argv[i]!
  // Before the --home=DIR form returns: `--home=A ... --home B` must not quietly use A.
  if (argv.some((a, at) => at !== i && (a === name || a.startsWith(`${name}=`)))) {
    argv.splice(i, 1)
    return { value: undefined, error: new CliError(`${name} is given twice.`, `Give ${name} once.`) }
  }
  if (arg.includes('=')) {
    argv.splice(i, 1)
    return { value: arg.slice(name.length + 1) }
  }
  const value = argv[i + 1]
  if (value === undefined || value.startsWith('--')) {
    argv.splice(i, 1)
    return { value: undefined, error: new CliError(`${name} needs a value.`, `For example ${name} ~/Pictures/proofsheet`) }
  }
  argv.splice(i, 2)
  return { value }
}

export async function main(): Promise<void> {
  // A crash is written to cli.log too; Node still prints it and exits as it always did.
  logUncaught(openDoorLog({ fileName: 'cli.log' }))
  const controller = new AbortController()
  let interrupts = 0
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130)
    controller.abort(Object.assign(new Error('interrupted'), { name: 'AbortError' }))
  })
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  })
  // Exit explicitly: a keychain call that never answers must not keep the process alive.
  process.stdout.write('', () => process.exit(code))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main()
