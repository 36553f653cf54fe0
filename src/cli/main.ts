#!/usr/bin/env node
import { pathToFileURL } from 'node:url'
import { parse } from './args'
import { ApiError } from '../shared/api/errors'
import { CliError, EXIT_BAD_INPUT, fromApiError } from './cli-error'
import { logUncaught, openDoorLog, storageApiError } from '../main/core'
import { CliContext } from './context'
import { createOutput } from './output'
import { batchCommand } from './commands/batch'
import { estimateCommand, generateCommand } from './commands/generate'
import { exportCommand } from './commands/export'
import { galleryCommand, providersCommand } from './commands/gallery'
import { keysCommand } from './commands/keys'
import { cancelCommand, queueCommand, retryCommand, runCommand } from './commands/queue'
import { templatesCommand } from './commands/templates'
import { FORMAT_CHOICES } from './gen-options'

/**
 * `proofsheet`: the headless door to the same engine the app uses. The command-line contract
 * (commands, flags, --json, exit codes) is in DESIGN.md; scripts depend on it, so keep it stable.
 */
const COMMANDS: Record<string, (ctx: CliContext, argv: string[]) => Promise<number>> = {
  providers: providersCommand,
  estimate: estimateCommand,
  generate: generateCommand,
  queue: queueCommand,
  run: runCommand,
  cancel: cancelCommand,
  retry: retryCommand,
  gallery: galleryCommand,
  keys: keysCommand,
  templates: templatesCommand,
  export: exportCommand,
  batch: batchCommand,
}

const HELP = `proofsheet <command> [--home DIR] [--json]

Commands:
  providers                       list provider profiles, sizes and prices
  estimate <gen options>          cost preview; nothing is sent
  generate <gen options> [--wait] queue jobs; with --wait, run them and print the results
  queue [--status S] [--limit N]  list jobs
  run                             process queued work until done; report interrupted jobs
  cancel JOB_ID|BATCH_ID          cancel a job or a whole batch
  retry JOB_ID|BATCH_ID           queue a failed or interrupted job (or a batch's) again
  gallery [--search TEXT] [--limit N]
  export --out DIR [--batch ID | --search TEXT | --ids ID,ID] [--naming TEMPLATE]
         [--format ${FORMAT_CHOICES}] [--quality Q] [--size WxH --fit cover|contain]
         [--preset web-shop|social-portrait]... [--manifest csv|json|none] [--zip]
                                  write images to a folder with a manifest (no selector: all)
  keys add PROVIDER --label NAME  store a key from stdin in the OS keychain
  keys list | keys remove ID
  templates                       list prompt templates with their variables
  batch ROWS.csv --template FILE --sizes S1,S2 <gen options> [--budget USD] [--dry-run] [--wait]
                                  one job per row and size; --dry-run prices it and sends nothing

Gen options: --provider ID --prompt TEXT --size WxH[,WxH]|auto | --aspect A:B --resolution 1K|2K|4K
  [--n N] [--format ${FORMAT_CHOICES}] [--quality Q] [--background B] [--compression 0-100 (jpeg, webp)]
  [--moderation auto|low] [--input-fidelity high|low (edits)] [--user ID (end-user id)]
  [--key LABEL | --key-env VAR] [--base-url URL] [--ref FILE_OR_URL]... [--mask FILE]
  [--partial-images 0-3]          stream rough previews while the image is drawn (OpenAI only);
                                  the final image is stored as without it
  (size auto, --moderation, --input-fidelity and --user only where the provider documents them;
   see "proofsheet providers")

Library folder: --home DIR, else $PROOFSHEET_HOME, else the OS app-data folder.
Exit codes: 0 all done, 1 some jobs failed or were held by a budget, 2 bad input.`

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
  const out = createOutput(json, io.stdout, io.stderr)
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out.result({ help: HELP }, () => HELP)
    return command ? 0 : EXIT_BAD_INPUT
  }
  let ctx: CliContext | null = null
  try {
    const run = COMMANDS[command]
    if (!run) {
      throw new CliError(`Unknown command "${command}".`, `Commands: ${Object.keys(COMMANDS).join(', ')}. See "proofsheet help".`)
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      parse([], {}, HELP)
      out.result({ help: HELP }, () => HELP)
      return 0
    }
    ctx = new CliContext(CliContext.homeFrom(home.value, io.env), out, io.env, io.stdin, io.signal)
    if (home.error) throw home.error
    return await run(ctx, rest)
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
