/**
 * A note left by a process that is going down on an uncaught error, read (and removed) by the next
 * start so the user learns once what happened. The process may be in any state when it writes,
 * so everything here is synchronous and small: the note is written to a temporary name and
 * renamed, never left half-written; its text is redacted like every log line.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempNameFor } from '../files/atomic-write'

export const CRASH_NOTE_FILE = 'crash-note.json'
/** Enough for the message and the top of the stack; a note is for a person, not a core dump. */
const MAX_NOTE_CHARS = 4000

export interface CrashNote {
  /** ISO time of the crash. */
  readonly at: string
  /** 'uncaughtException' or 'unhandledRejection'. */
  readonly kind: string
  readonly message: string
}

export interface CrashNoteDeps {
  readonly dir: string
  readonly redact: (text: string) => string
  readonly now?: () => Date
}

export function writeCrashNote(deps: CrashNoteDeps, kind: string, error: unknown): CrashNote {
  const raw = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  const message = deps.redact(raw.slice(0, MAX_NOTE_CHARS))
  const note: CrashNote = { at: (deps.now?.() ?? new Date()).toISOString(), kind, message }
  const target = join(deps.dir, CRASH_NOTE_FILE)
  mkdirSync(deps.dir, { recursive: true })
  const temp = join(deps.dir, tempNameFor(CRASH_NOTE_FILE))
  writeFileSync(temp, `${JSON.stringify(note, null, 2)}\n`, { mode: 0o600 })
  renameSync(temp, target)
  return note
}

/** The note the last crash left, removed so it is shown once; null when there is none (or it is unreadable). */
export function takeCrashNote(dir: string): CrashNote | null {
  const target = join(dir, CRASH_NOTE_FILE)
  let text: string
  try {
    text = readFileSync(target, 'utf8')
  } catch {
    return null
  }
  rmSync(target, { force: true })
  try {
    const parsed = JSON.parse(text) as Partial<CrashNote>
    if (typeof parsed.message !== 'string') return null
    return { at: String(parsed.at ?? ''), kind: String(parsed.kind ?? 'crash'), message: parsed.message }
  } catch {
    return null
  }
}

/** The words the app shows at the next start. */
export function crashNoteNotice(note: CrashNote): string {
  const when = note.at ? ` at ${note.at}` : ''
  const first = note.message.split('\n')[0] ?? ''
  return `Proofsheet closed unexpectedly last time${when}: ${first} Queued work was kept; details are in the log folder.`
}

/**
 * Installs the process-wide handlers: log the error, leave the note, then end as Node would
 * (exit code 1 for an uncaught error). Returns a function that removes them (tests).
 */
export function installCrashHandlers(deps: CrashNoteDeps & { log: (...args: unknown[]) => void; exit?: (code: number) => void }): () => void {
  const exit = deps.exit ?? ((code: number) => process.exit(code))
  const onCrash = (kind: string) => (error: unknown) => {
    try {
      deps.log(`[crash] ${kind}:`, error)
      writeCrashNote(deps, kind, error)
    } finally {
      exit(1)
    }
  }
  const onException = onCrash('uncaughtException')
  const onRejection = onCrash('unhandledRejection')
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}
