/**
 * The queue on the desktop: a taskbar/dock progress bar while work runs and a system notification
 * when a batch finishes. Every decision is made in src/shared/queue (tested under Node); this file
 * only hands the results to Electron. Do not put logic here that a test would need to see.
 */
import { Notification, type BrowserWindow } from 'electron'
import type { JobView } from '../../shared/api/jobs'
import type { Router } from '../../shared/api/router'
import { QueueActivity } from '../../shared/queue/queue-activity'
import { taskbarProgress, type WorkProgress } from '../../shared/queue/work-progress'

export function showQueueOnDesktop(opts: { router: Router; window(): BrowserWindow | null }): () => void {
  const paint = (progress: WorkProgress | null, paused: boolean): void => {
    const win = opts.window()
    if (!win || win.isDestroyed()) return
    const bar = taskbarProgress(progress, paused)
    win.setProgressBar(bar.value, { mode: bar.mode })
  }
  const activity = new QueueActivity({
    progress: paint,
    batchFinished: (notice) => {
      if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show()
    },
  })
  const unsubscribe = opts.router.subscribe((message) => activity.handle(message))
  // Work the engine recovered before we subscribed still gets a bar.
  void Promise.all([opts.router.handle('jobs.list', { limit: 500 }), opts.router.handle('queue.state', {})]).then(([list, state]) => {
    if (!list.ok) return
    const paused = state.ok ? (state.value as { paused: boolean }).paused : undefined
    activity.seed((list.value as { jobs: JobView[] }).jobs, paused)
  })
  return () => {
    unsubscribe()
    paint(null, false)
  }
}
