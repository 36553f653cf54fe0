import { createHash, randomBytes } from 'node:crypto'
import { closeSync, fstatSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { ApiError } from '../../../shared/api/errors'
import { processIsAlive } from '../files/process-alive'

/**
 * Only one process may run a library's queue: two runners would each claim work and could
 * both decide that a job "in flight" was orphaned. The app and the CLI take this lock before
 * running jobs; a process without it only adds work and reads state.
 *
 * How the lock stays single-holder (every step is one atomic filesystem call, no check-then-act):
 * - Taking a free lock: the full content (pid, host, start, a random nonce) is written to a file
 *   of our own and `link()`ed to `queue.lock`. link fails if the name exists, and the lock never
 *   exists empty, so no racer can see a just-created lock as unreadable and "stale".
 * - Taking over a stale lock (its pid is dead on this host): the racers that saw the same stale
 *   lock race to `link()` a takeover file whose name is derived from that lock's identity (inode
 *   and bytes). Exactly one creates it; it alone re-reads `queue.lock`, and only if that is still
 *   the same stale lock does it `rename()` its fresh lock over it. Nobody else can change
 *   `queue.lock` meanwhile: creating needs the name free, and replacing this stale lock needs
 *   the takeover file it holds. (Renaming over without it would let two racers that both read
 *   the stale lock each replace it in turn, and both believe they won.)
 * - A lock from another host is never stale: its pid means nothing here. The caller says who
 *   holds it and how to clear it (`describeLockHolder`).
 * - An empty or unreadable lock (an older version's half-written file, a damaged disk) is held
 *   for a short grace after its last change, then stale.
 * A takeover file is left behind only by a crash within those few calls; the lock it guards then
 * stays held, and the message names the files to delete. Failing closed beats two runners.
 */
export interface RunnerLock {
  release(): void
}

export interface LockHolder {
  pid: number
  host: string
  since: number
}

export type LockResult = { ok: true; lock: RunnerLock } | { ok: false; holder: LockHolder }

const LOCK_NAME = 'queue.lock'
/** How long an unreadable lock counts as someone's lock being written. */
export const UNREADABLE_LOCK_GRACE_MS = 10_000
/** Our own leftovers (a racer's fresh lock, a takeover file) older than this are swept. */
const LEFTOVER_AGE_MS = 60_000
/** Takeover files carry the guarded lock's identity; fresh locks carry the maker's pid and nonce. */
const FRESH_PREFIX = `${LOCK_NAME}.new-`
const TAKEOVER_PREFIX = `${LOCK_NAME}.takeover-`
const TAKEOVER_WAIT_MS = 5

/** A synchronous wait: taking the lock is synchronous for its callers, and this is milliseconds. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

interface LockSnapshot {
  /** Identifies this very lock file: a new lock is a new inode with a new nonce. */
  identity: string
  holder: LockHolder | null
  nonce: string | null
  ageMs: number
}

function parseHolder(text: string): { holder: LockHolder; nonce: string | null } | null {
  try {
    const data = JSON.parse(text) as Partial<LockHolder> & { nonce?: unknown }
    if (typeof data.pid === 'number' && typeof data.host === 'string') {
      return { holder: { pid: data.pid, host: data.host, since: Number(data.since ?? 0) }, nonce: typeof data.nonce === 'string' ? data.nonce : null }
    }
  } catch {
    // unreadable or half-written
  }
  return null
}

/** Reads the lock through one descriptor, so its inode and its bytes belong together. */
function snapshot(file: string): LockSnapshot | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const stat = fstatSync(fd)
    const text = readFileSync(fd, 'utf8')
    const parsed = parseHolder(text)
    const content = createHash('sha256').update(text).digest('hex')
    return {
      identity: `${stat.dev}-${stat.ino}-${stat.mtimeMs}-${content}`,
      holder: parsed?.holder ?? null,
      nonce: parsed?.nonce ?? null,
      ageMs: Date.now() - stat.mtimeMs,
    }
  } finally {
    closeSync(fd)
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return snapshot(file)?.holder ?? null
  } catch {
    return null
  }
}

/** Whether this lock may be taken over. Unknown is never stale. */
function isStale(lock: LockSnapshot): boolean {
  if (!lock.holder) return lock.ageMs > UNREADABLE_LOCK_GRACE_MS
  if (lock.holder.host !== hostname()) return false
  return !processIsAlive(lock.holder.pid)
}

/** Who runs this library's queue right now, without taking the lock; null if nobody alive does. */
export function peekRunnerLock(home: string): LockHolder | null {
  const holder = readHolder(join(home, LOCK_NAME))
  if (!holder) return null
  return holder.host !== hostname() || processIsAlive(holder.pid) ? holder : null
}

/**
 * The sentence a door shows when the lock is held: who holds it and, for a holder this machine
 * cannot check (another host) or a lock that looks abandoned, how to clear it safely.
 */
export function describeLockHolder(home: string, holder: LockHolder): string {
  const file = join(home, LOCK_NAME)
  if (holder.pid <= 0) return `Another Proofsheet process is starting this library's queue (${file} is being written).`
  if (holder.host !== hostname()) {
    const since = holder.since > 0 ? ` since ${new Date(holder.since).toISOString()}` : ''
    return (
      `Another Proofsheet process (pid ${holder.pid} on the computer "${holder.host}"${since}) runs this library's queue. ` +
      `This computer cannot tell whether it still runs: if Proofsheet is closed on "${holder.host}", delete ${file} and start again.`
    )
  }
  if (!processIsAlive(holder.pid)) {
    const guard = takeoverFileFor(home) ?? join(home, `${TAKEOVER_PREFIX}*`)
    return (
      `The queue lock ${file} belongs to a process that has ended (pid ${holder.pid}), and another process was taking it over when it stopped. ` +
      `If no Proofsheet process runs now, delete ${guard}, then start again.`
    )
  }
  return `Another Proofsheet process (pid ${holder.pid}) runs this library's queue.`
}

function isPlainFile(file: string): boolean {
  try {
    return lstatSync(file).isFile()
  } catch {
    return true // gone meanwhile: the next try will create it
  }
}

function notALockFile(file: string): ApiError {
  return new ApiError('bad_input', `${file} is not a file, so Proofsheet cannot tell whether another process runs this library's queue.`, {
    field: 'home',
    fix: `Remove ${file} (no Proofsheet process is using it), then start again.`,
  })
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    // already gone
  }
}

/** Links `fresh` to `target` if the name is free; false if something is there already. */
function linkIfFree(fresh: string, target: string): boolean {
  try {
    linkSync(fresh, target)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

function takeoverName(home: string, lock: LockSnapshot): string {
  return join(home, `${TAKEOVER_PREFIX}${createHash('sha256').update(lock.identity).digest('hex').slice(0, 24)}`)
}

/** The takeover file that guards the lock as it is now (whether or not it exists); null if there is no lock. */
export function takeoverFileFor(home: string): string | null {
  try {
    const lock = snapshot(join(home, LOCK_NAME))
    return lock ? takeoverName(home, lock) : null
  } catch {
    return null
  }
}

/**
 * Replaces the stale lock `seen` with `fresh`, if this process is the one racer allowed to.
 * True when `queue.lock` is now ours.
 */
function takeOver(home: string, file: string, fresh: string, seen: LockSnapshot): boolean {
  const guard = takeoverName(home, seen)
  if (!linkIfFree(fresh, guard)) return false // another racer is replacing this same stale lock
  try {
    const now = snapshot(file)
    if (!now || now.identity !== seen.identity) return false // replaced or released meanwhile
    renameSync(fresh, file)
    return true
  } finally {
    tryUnlink(guard)
  }
}

/** Removes our own leftovers from racers that crashed between their steps (never anyone's lock). */
function sweepLeftovers(home: string): void {
  let names: string[]
  try {
    names = readdirSync(home)
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(FRESH_PREFIX) && !name.startsWith(TAKEOVER_PREFIX)) continue
    const path = join(home, name)
    try {
      if (Date.now() - lstatSync(path).mtimeMs > LEFTOVER_AGE_MS) unlinkSync(path)
    } catch {
      // gone or not ours to judge
    }
  }
}

export function acquireRunnerLock(home: string, now: number = Date.now()): LockResult {
  const file = join(home, LOCK_NAME)
  const nonce = randomBytes(12).toString('hex')
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: now, nonce })
  const fresh = join(home, `${FRESH_PREFIX}${process.pid}-${nonce}`)
  writeFileSync(fresh, content, { mode: 0o600, flag: 'wx' })
  let won = false
  let last: LockSnapshot | null = null
  try {
    for (let tries = 0; tries < 5 && !won; tries++) {
      if (linkIfFree(fresh, file)) {
        won = true
        break
      }
      // A folder (or a link) where the lock file belongs can be neither read nor removed: without
      // this, every start would report "another process runs the queue" and wait for nobody.
      if (!isPlainFile(file)) throw notALockFile(file)
      last = snapshot(file)
      if (!last) continue // released meanwhile: try to create it again
      if (!isStale(last)) break
      if (takeOver(home, file, fresh, last)) {
        won = true
        break
      }
      // Another racer holds this lock's takeover file: its few calls end in moments, after which
      // the lock is its (and live). Only a racer that crashed mid-takeover leaves it stale.
      pause(TAKEOVER_WAIT_MS)
      last = snapshot(file) ?? last
      if (!isStale(last)) break
    }
  } finally {
    // After link the lock has its own name; after rename the fresh name is already gone.
    tryUnlink(fresh)
  }
  if (!won) {
    return { ok: false, holder: last?.holder ?? readHolder(file) ?? { pid: 0, host: 'unknown', since: 0 } }
  }
  sweepLeftovers(home)
  let released = false
  return {
    ok: true,
    lock: {
      release() {
        if (released) return
        released = true
        // Only our own lock goes: the nonce tells ours from one another process has since taken.
        try {
          if (snapshot(file)?.nonce === nonce) tryUnlink(file)
        } catch {
          // unreadable now: leave it; the next start judges it
        }
      },
    },
  }
}
