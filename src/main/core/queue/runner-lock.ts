import { hostname } from 'node:os'
import { openSync, closeSync, lstatSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError } from '../../../shared/api/errors'

/**
 * Only one process may run a library's queue: two runners would each claim work and could
 * both decide that a job "in flight" was orphaned. The app and the CLI take this lock before
 * running jobs; a process without it only adds work and reads state.
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>
    if (typeof data.pid === 'number' && typeof data.host === 'string') {
      return { pid: data.pid, host: data.host, since: Number(data.since ?? 0) }
    }
  } catch {
    // unreadable or half-written: treat as stale
  }
  return null
}

/** Who runs this library's queue right now, without taking the lock; null if nobody alive does. */
export function peekRunnerLock(home: string): LockHolder | null {
  const holder = readHolder(join(home, 'queue.lock'))
  if (!holder) return null
  return holder.host !== hostname() || isAlive(holder.pid) ? holder : null
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

export function acquireRunnerLock(home: string, now: number = Date.now()): LockResult {
  const file = join(home, 'queue.lock')
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: now }))
      closeSync(fd)
      let released = false
      return {
        ok: true,
        lock: {
          release() {
            if (released) return
            released = true
            const holder = readHolder(file)
            if (holder?.pid === process.pid) unlinkSync(file)
          },
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      // A folder (or a link) where the lock file belongs can be neither read nor removed: without
      // this, every start would report "another process runs the queue" and wait for nobody.
      if (!isPlainFile(file)) throw notALockFile(file)
      const holder = readHolder(file)
      const stale = !holder || (holder.host === hostname() && !isAlive(holder.pid))
      if (!stale) return { ok: false, holder }
      try {
        unlinkSync(file)
      } catch {
        // someone else removed it first; try again
      }
    }
  }
  const holder = readHolder(file)
  return { ok: false, holder: holder ?? { pid: 0, host: 'unknown', since: 0 } }
}
