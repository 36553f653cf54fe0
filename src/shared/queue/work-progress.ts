import type { JobView } from '../api'

/**
 * How far along the work in flight is, for a taskbar or dock progress bar (Electron main) and a
 * window title (browser mode). Pure and fed with job views, so it runs and is tested under Node.
 * A "run" starts when a job becomes active and ends when none of the run's jobs is active.
 */

export interface WorkProgress {
  /** Jobs of this run that stopped being active (finished, failed, canceled, held). */
  done: number
  total: number
  fraction: number
}

/** Active: the queue will work on it without a person doing anything. */
export function isActive(job: Pick<JobView, 'status' | 'heldReason'>): boolean {
  return job.status === 'running' || (job.status === 'queued' && !job.heldReason)
}

export class WorkProgressTracker {
  /** Job id → still active, for the jobs of the current run. */
  private readonly run = new Map<string, boolean>()

  /** Takes one job's new state and returns the progress, or null when nothing is active. */
  update(job: Pick<JobView, 'id' | 'status' | 'heldReason'>): WorkProgress | null {
    if (isActive(job)) this.run.set(job.id, true)
    else if (this.run.has(job.id)) this.run.set(job.id, false)
    return this.current()
  }

  /** Whether this job counts as active work of the current run. */
  isActive(id: string): boolean {
    return this.run.get(id) === true
  }

  /** A job that disappeared (cleared from the queue) no longer counts. */
  forget(id: string): WorkProgress | null {
    this.run.delete(id)
    return this.current()
  }

  current(): WorkProgress | null {
    const total = this.run.size
    const done = [...this.run.values()].filter((active) => !active).length
    if (done === total) {
      this.run.clear()
      return null
    }
    return { done, total, fraction: done / total }
  }
}

/** What Electron's BrowserWindow.setProgressBar takes: -1 removes the bar. */
export interface TaskbarProgress {
  value: number
  mode: 'none' | 'normal' | 'paused'
}

/** Smallest bar shown while work runs, so "0 of 3 done" still shows that something is going on. */
const MIN_VISIBLE = 0.02

export function taskbarProgress(progress: WorkProgress | null, paused: boolean): TaskbarProgress {
  if (!progress) return { value: -1, mode: 'none' }
  return { value: Math.max(MIN_VISIBLE, progress.fraction), mode: paused ? 'paused' : 'normal' }
}

/** "(3/10) Proofsheet" while work runs, the plain name when idle. */
export function progressTitle(progress: WorkProgress | null, name = 'Proofsheet'): string {
  return progress ? `(${progress.done}/${progress.total}) ${name}` : name
}
