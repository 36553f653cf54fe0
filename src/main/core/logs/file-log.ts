/**
 * The app's log file: electron-log's Node entry point (the same in Electron's main process, the
 * CLI and browser mode), writing synchronously to one file in the log folder, rotated by size
 * with a fixed number of old files kept, and every line redacted (log-redaction.ts) after it is
 * formatted, so nothing written there, stack traces included, escapes the redaction.
 * What a door printed before (the CLI's stderr) it still prints: `echo` gets the original call.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join, parse } from 'node:path'
import electronLog from 'electron-log/node'
import { APP_FOLDER_NAME } from './log-folder'
import { createLogRedactor, type LogRedactor } from './log-redaction'

/** 1 MiB per file and five old ones: a few weeks of a busy studio, a few MB of disk at most. */
export const DEFAULT_MAX_BYTES = 1024 * 1024
export const DEFAULT_KEEP = 5

export type LogLevel = 'info' | 'warn' | 'error'

/** What the engine and the doors log through. `console` satisfies the three methods. */
export interface Log {
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

export interface FileLog extends Log {
  /** The file being written now. */
  readonly file: string
  /** A key this process uses: never written, in any encoding (see log-redaction.ts). */
  rememberSecret(secret: string): void
  readonly redactor: LogRedactor
}

export interface FileLogOptions {
  readonly dir: string
  /** 'main.log' for the app, 'cli.log' for the command, 'web.log' for browser mode. */
  readonly fileName: string
  readonly maxBytes?: number
  /** How many rotated files to keep beside the current one (name.1.log is the newest). */
  readonly keep?: number
  /** Also hand each call to this (the door's console, as before); omit to write the file only. */
  readonly echo?: (level: LogLevel, args: unknown[]) => void
}

let instances = 0

export function createFileLog(options: FileLogOptions): FileLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const keep = options.keep ?? DEFAULT_KEEP
  const file = join(options.dir, options.fileName)
  const redactor = createLogRedactor()
  // The folder and electron-log's instance are made at the first line, not here: a door opens its
  // log at every start and most commands write nothing. Still synchronous, so a crash line written
  // from an exit handler lands before the process ends.
  let logger: ReturnType<typeof electronLog.create> | undefined
  const opened = () => (logger ??= openLogger(file, options.dir, maxBytes, keep, redactor))

  const log: FileLog = {
    file,
    redactor,
    rememberSecret: (secret) => redactor.remember(secret),
    info: (...args) => opened().info(...args),
    warn: (...args) => opened().warn(...args),
    error: (...args) => opened().error(...args),
  }
  return options.echo ? withEcho(log, options.echo) : log
}

/** The same log, each call also handed to `echo` first (a door's console, as before). */
export function withEcho(log: FileLog, echo: (level: LogLevel, args: unknown[]) => void): FileLog {
  const write = (level: LogLevel) => (...args: unknown[]) => {
    echo(level, args)
    log[level](...args)
  }
  return {
    file: log.file,
    redactor: log.redactor,
    rememberSecret: (secret) => log.rememberSecret(secret),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  }
}

function openLogger(file: string, dir: string, maxBytes: number, keep: number, redactor: LogRedactor) {
  mkdirSync(dir, { recursive: true })
  // Each log its own instance: electron-log keeps instances in a table by id.
  const logger = electronLog.create({ logId: `proofsheet-${process.pid}-${++instances}` })
  for (const name of ['console', 'ipc', 'remote'] as const) {
    const transport = logger.transports[name]
    if (transport) transport.level = false
  }
  const out = logger.transports.file
  // electron-log looks for the app's name in a package.json before the first line (for path
  // variables we do not use) and drops every line when it finds none (a bundle run from elsewhere).
  out.setAppName(APP_FOLDER_NAME)
  out.level = 'info'
  out.sync = true
  out.maxSize = maxBytes
  out.resolvePathFn = () => file
  out.archiveLogFn = () => rotate(file, keep)
  // The last transform turns the message into its line; redaction works on that line.
  out.transforms = [...out.transforms, ({ data }) => redactData(data, redactor)]
  return logger
}

/** The formatted line is a string; should a transform ever hand on an array, each string in it. */
function redactData(data: unknown, redactor: LogRedactor): unknown {
  if (typeof data === 'string') return redactLines(data, redactor)
  if (Array.isArray(data)) return data.map((part: unknown) => (typeof part === 'string' ? redactLines(part, redactor) : part))
  return redactLines(String(data), redactor)
}

/** Line by line: redactSecret bounds the text it reads, and a stack trace is many short lines. */
function redactLines(text: string, redactor: LogRedactor): string {
  return text.split('\n').map((line) => redactor.redact(line)).join('\n')
}

/** main.log → main.1.log → main.2.log …; the oldest beyond `keep` is deleted. */
export function rotate(file: string, keep: number): void {
  const { dir, name, ext } = parse(file)
  const old = (n: number) => join(dir, `${name}.${n}${ext}`)
  rmSync(old(keep), { force: true })
  for (let n = keep - 1; n >= 1; n--) if (existsSync(old(n))) renameSync(old(n), old(n + 1))
  if (keep >= 1) renameSync(file, old(1))
  else rmSync(file, { force: true })
}
