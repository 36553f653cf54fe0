/**
 * The log each door opens at start: its own file in the shared log folder. One per file in a
 * process, however often a door asks (the CLI opens its context once per command; tests run many
 * commands in one process), so lines are never written by two writers at once.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createFileLog, withEcho, type FileLog, type LogLevel } from './file-log'
import { logFolder } from './log-folder'

export interface DoorLogOptions {
  readonly fileName: string
  readonly env?: Record<string, string | undefined>
  /** Electron passes app.getPath('logs'); the other doors compute the same folder. */
  readonly dir?: string
  readonly echo?: (level: LogLevel, args: unknown[]) => void
}

const open = new Map<string, FileLog>()

/**
 * The file is shared per path; the echo is each caller's own. The CLI opens cli.log twice (its
 * crash hook without echo, since Node prints the crash itself; the engine's log with the console
 * echo): a shared echo would let the first opener decide for both.
 */
export function openDoorLog(options: DoorLogOptions): FileLog {
  const dir = options.dir ?? logFolder({ platform: process.platform, env: options.env ?? process.env, home: homedir() })
  const path = join(dir, options.fileName)
  let file = open.get(path)
  if (!file) {
    file = createFileLog({ dir, fileName: options.fileName })
    open.set(path, file)
  }
  return options.echo ? withEcho(file, options.echo) : file
}

/** The console, as the engine's warnings reached it before there was a log file. */
export const echoToConsole = (level: LogLevel, args: unknown[]): void => console[level](...args)

/**
 * For a door that must end on an uncaught error exactly as Node does (the CLI: its stderr is a
 * contract): the error is written to the log first, and Node then prints it and exits as before.
 */
export function logUncaught(log: Pick<FileLog, 'error'>): void {
  process.on('uncaughtExceptionMonitor', (err, origin) => log.error(`[crash] ${origin}:`, err))
}
