/**
 * The queue's answer to a library folder that cannot take writes (full, read-only, not writable,
 * or a damaged database): it pauses the queue with the reason, keeps that reason where every door
 * can read it, and clears it on resume. It decides nothing about jobs or money: the job runner says
 * what a job's row records, the scheduler asks here before it sends anything.
 */
import type { Store } from '../store/store'
import { storageProblemOf, type StorageProblem } from '../files/storage-check'

/** The library folder's health, as the queue needs it; see files/storage-check.ts. */
export interface StorageProbe {
  /** Why the library cannot take this many more bytes now, or null if it can. */
  check(bytesNeeded: number): StorageProblem | null
  /** The storage problem behind a failed write, or null when the error is something else. */
  problemOf(err: unknown): StorageProblem | null
}

/** Without a probe nothing is checked ahead; failed writes are still mapped. */
export const uncheckedStorage: StorageProbe = { check: () => null, problemOf: (err) => storageProblemOf(err, null) }

export interface StorageGuardDeps {
  /** Where the pause reason is kept for other processes (the CLI beside the app). */
  meta: Pick<Store, 'getMeta' | 'setMeta' | 'transaction'>
  probe: StorageProbe
  /** The queue's state changed (it paused itself): the scheduler tells every door. */
  stateChanged(): void
}

/** The reason the queue paused itself (JSON StorageProblem), so other processes can show it. */
const STORAGE_PAUSE_KEY = 'queue.storagePause'

/** An error from our own writes that the disk caused: the job runner pauses the queue on it. */
export class StorageFailure extends Error {
  constructor(
    readonly problem: StorageProblem,
    cause: unknown,
  ) {
    super(problem.message, { cause })
    this.name = 'StorageFailure'
  }
}

export class StorageGuard {
  /** Kept in memory too: on a full or read-only disk the meta row may not be writable. */
  private pausedFor: StorageProblem | null = null

  constructor(private readonly deps: StorageGuardDeps) {}

  /** Why the queue paused itself (this process, or another runner that could record it), or null. */
  reason(): StorageProblem | null {
    if (this.pausedFor) return this.pausedFor
    const saved = this.deps.meta.getMeta(STORAGE_PAUSE_KEY)
    if (!saved) return null
    try {
      // A reason recorded by an older version also holds its words for the fix: each door words that now.
      const { code, message } = JSON.parse(saved) as StorageProblem
      return { code, message }
    } catch {
      return null
    }
  }

  /**
   * Before a job is sent: is there room for its images, and may we write? If not, the queue
   * pauses itself with the reason, and the caller leaves the job queued, unsent and uncharged.
   */
  allows(bytesNeeded: number): boolean {
    const problem = this.deps.probe.check(bytesNeeded)
    if (!problem) return true
    this.pause(problem)
    return false
  }

  /** Stops taking work until resume(); kept in memory first, recorded in the database if it can be. */
  pause(problem: StorageProblem): void {
    const first = this.pausedFor === null
    this.pausedFor = problem
    try {
      // No write onto a damaged database: memory carries the reason.
      if (problem.code !== 'damaged') this.deps.meta.setMeta(STORAGE_PAUSE_KEY, JSON.stringify(problem))
    } catch {
      // The disk that is full or read-only may hold the database too: memory has to do.
    }
    if (!first) return
    // A damaged database cannot count the jobs for the event; each call then says why instead.
    this.unlessStorageFails(() => this.deps.stateChanged())
  }

  /**
   * For work that hit `err`: pauses when the disk caused it, rethrows anything else. The loop stays
   * alive this way (a rejected loop ends the process) and takes no more work until someone acts.
   */
  pauseOrThrow(err: unknown): void {
    const problem = this.deps.probe.problemOf(err)
    if (!problem) throw err
    this.pause(problem)
  }

  /**
   * Resume clears a storage pause, in one transaction with `alsoWrite` (the user's pause flag);
   * the next pass probes the disk again before sending. A disk still bad pauses again at once.
   */
  resume(alsoWrite: () => void): void {
    this.pausedFor = null
    try {
      this.deps.meta.transaction(() => {
        this.deps.meta.setMeta(STORAGE_PAUSE_KEY, '')
        alsoWrite()
      })
    } catch (err) {
      this.pauseOrThrow(err)
    }
  }

  /** For a new runner: drop a storage pause recorded by an earlier process (best effort). */
  forget(): void {
    this.pausedFor = null
    this.unlessStorageFails(() => this.deps.meta.setMeta(STORAGE_PAUSE_KEY, ''))
  }

  /** The storage problem behind `err`, wherever it came from (see problemIn for the narrow question). */
  problemOf(err: unknown): StorageProblem | null {
    return this.deps.probe.problemOf(err)
  }

  /**
   * A storage problem only where we wrote: our image writes (marked by asFailure), or SQLite
   * anywhere (its codes are unambiguous). An errno from the network side (a firewall's connect
   * EACCES) must not pause.
   */
  problemIn(err: unknown): StorageProblem | null {
    if (err instanceof StorageFailure) return err.problem
    const code = (err as { code?: unknown } | null)?.code
    return typeof code === 'string' && code.startsWith('SQLITE_') ? this.deps.probe.problemOf(err) : null
  }

  /** Marks an error from our own writes that the disk caused, so problemIn finds it. */
  asFailure(err: unknown): unknown {
    const problem = this.deps.probe.problemOf(err)
    return problem ? new StorageFailure(problem, err) : err
  }

  /** Runs `work` whose failure on a bad disk is not worth a crash (an event, a best-effort write). */
  unlessStorageFails(work: () => void): void {
    try {
      work()
    } catch (err) {
      if (!this.deps.probe.problemOf(err)) throw err
    }
  }
}
