import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, JobCursor, JobView, QueueState } from '../../../shared/api'
import type { BatchNotice } from '../../../shared/queue/batch-summary'
import { QueueActivity } from '../../../shared/queue/queue-activity'
import type { WorkProgress } from '../../../shared/queue/work-progress'
import { newestFirst } from '../../../shared/paging/newest-first'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * The job queue as the user sees it: newest jobs first, kept current by `job.updated` events.
 * A `queue.changed` event (also sent by the bridge whenever the event stream reconnects) makes
 * the store re-read the first page, so missed events cannot leave a row stuck on "Running".
 * Older pages load as the list is scrolled (`loadMore`); a page never ends inside a batch, so a
 * group's counts are whole. Queue-wide counts come from the engine (`queue.counts`), never from
 * the rows loaded so far.
 */

/** Jobs per page of the list (a page runs on to the end of its last batch). */
export const QUEUE_LIST_LIMIT = 100
const RELOAD_DEBOUNCE_MS = 200

export interface QueueStoreState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: ErrorNoteData | null
  jobs: JobView[]
  /** Where the next older page starts; null when every job is loaded. */
  next: JobCursor | null
  loadingMore: boolean
  queue: QueueState | null
  /** Errors of Cancel/Retry, shown on the row they belong to. */
  rowErrors: Record<string, ErrorNoteData>
  busy: Record<string, true>
  queueError: ErrorNoteData | null
  /** The work in flight (null when idle), for the window title. */
  progress: WorkProgress | null
  /** The batch that finished last, while this page watched. */
  lastBatchNotice: BatchNotice | null

  load(): Promise<void>
  /** Reads the next older page, if there is one. */
  loadMore(): Promise<void>
  /** Jobs a call (Generate) answered with; rows events already brought are newer and stay. */
  addJobs(jobs: JobView[]): void
  cancel(id: string): Promise<void>
  retry(id: string): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  /** Batch actions; their errors go to `rowErrors[batchId]`. */
  cancelBatch(batchId: string): Promise<void>
  retryBatch(batchId: string): Promise<void>
  /** Queue-wide actions; their errors go to `queueError`. */
  retryAllFailed(): Promise<void>
  clearFinished(): Promise<void>
  /** Subscribes to engine events; returns the unsubscribe. */
  start(): () => void
}

export type QueueStore = StoreApi<QueueStoreState>

/** Strictly older than the cursor, in the list's order (created_at, id descending). */
function olderThan(job: JobView, cursor: JobCursor): boolean {
  return job.createdAt < cursor.createdAt || (job.createdAt === cursor.createdAt && job.id < cursor.id)
}

function merge(current: JobView[], incoming: JobView[]): JobView[] {
  const byId = new Map(current.map((job) => [job.id, job]))
  for (const job of incoming) byId.set(job.id, job)
  return [...byId.values()].sort(newestFirst)
}

export function createQueueStore(api: ApiClient): QueueStore {
  let reloadTimer: ReturnType<typeof setTimeout> | null = null
  // Rows changed by events while a list request is in flight: the event is newer than the list.
  let updatedDuringLoad: Set<string> | null = null

  return createStore<QueueStoreState>()((set, get) => {
    const activity = new QueueActivity({
      progress: (progress) => set({ progress }),
      batchFinished: (notice) => set({ lastBatchNotice: notice }),
      // "Batch finished" is news until new work starts; then it would read as being about that work.
      workStarted: () => {
        if (get().lastBatchNotice) set({ lastBatchNotice: null })
      },
    })

    /** Marks `key` (a job or batch id) busy while `work` runs; its error is shown where the key is. */
    const busyWith = async (key: string, work: () => Promise<void>): Promise<void> => {
      const { [key]: _dropped, ...rowErrors } = get().rowErrors
      set({ busy: { ...get().busy, [key]: true }, rowErrors })
      try {
        await work()
      } catch (err) {
        set({ rowErrors: { ...get().rowErrors, [key]: toErrorNote(err) } })
      } finally {
        const { [key]: _done, ...busy } = get().busy
        set({ busy })
      }
    }

    const rowAction = (id: string, name: 'jobs.cancel' | 'jobs.retry'): Promise<void> =>
      busyWith(id, async () => {
        const job = await api.call(name, { id })
        set({ jobs: merge(get().jobs, [job]) })
      })

    // The engine announces each job it changed; reading the list again also covers a missed event.
    const batchAction = (batchId: string, name: 'batches.cancel' | 'batches.retryFailed'): Promise<void> =>
      busyWith(batchId, async () => {
        await api.call(name, { batchId })
        await get().load()
      })

    const bulkAction = async (name: 'queue.retryFailed' | 'queue.clearFinished'): Promise<void> => {
      try {
        await api.call(name, {})
        set({ queueError: null })
        await get().load()
      } catch (err) {
        set({ queueError: toErrorNote(err) })
      }
    }

    const queueAction = async (name: 'queue.pause' | 'queue.resume'): Promise<void> => {
      try {
        set({ queue: await api.call(name, {}), queueError: null })
      } catch (err) {
        set({ queueError: toErrorNote(err) })
      }
    }

    return {
      status: 'idle',
      error: null,
      jobs: [],
      next: null,
      loadingMore: false,
      queue: null,
      rowErrors: {},
      busy: {},
      queueError: null,
      progress: null,
      lastBatchNotice: null,

      async load() {
        if (get().status !== 'ready') set({ status: 'loading', error: null })
        const touched = new Set<string>()
        updatedDuringLoad = touched
        try {
          const [page, queue] = await Promise.all([
            api.call('jobs.list', { limit: QUEUE_LIST_LIMIT }),
            api.call('queue.state', {}),
          ])
          // The first page is authoritative for its span, except for rows events changed meanwhile
          // and rows this tab has just queued, which the list may not include yet. Older pages
          // read before stay as they are (events keep them current).
          const boundary = page.next ?? null
          const listed = new Set(page.jobs.map((j) => j.id))
          const current = get().jobs
          const older = boundary ? current.filter((j) => !listed.has(j.id) && olderThan(j, boundary)) : []
          const keep = current.filter((j) => touched.has(j.id) || (!listed.has(j.id) && j.status === 'queued'))
          const next = boundary === null ? null : older.length > 0 ? get().next : boundary
          set({ status: 'ready', error: null, jobs: merge(page.jobs, [...older, ...keep]), next, queue })
          activity.seed(page.jobs, queue.paused)
        } catch (err) {
          set({ status: 'error', error: toErrorNote(err) })
        } finally {
          if (updatedDuringLoad === touched) updatedDuringLoad = null
        }
      },
      async loadMore() {
        const before = get().next
        if (!before || get().loadingMore || get().status !== 'ready') return
        set({ loadingMore: true })
        try {
          const page = await api.call('jobs.list', { limit: QUEUE_LIST_LIMIT, before })
          // A reload may have moved the end meanwhile; rows events brought are newer than the page.
          if (get().next !== before) return
          set({ jobs: merge(page.jobs, get().jobs), next: page.next ?? null })
          activity.seed(page.jobs)
        } catch (err) {
          set({ queueError: toErrorNote(err) })
        } finally {
          set({ loadingMore: false })
        }
      },
      addJobs: (jobs) => {
        // The engine announced (and may have started, held or finished) these jobs before its
        // reply arrived: a row an event already brought is newer than the reply.
        const known = new Set(get().jobs.map((j) => j.id))
        set({ jobs: merge(get().jobs, jobs.filter((j) => !known.has(j.id))) })
        activity.replied(jobs)
      },
      cancel: (id) => rowAction(id, 'jobs.cancel'),
      retry: (id) => rowAction(id, 'jobs.retry'),
      pause: () => queueAction('queue.pause'),
      resume: () => queueAction('queue.resume'),
      cancelBatch: (batchId) => batchAction(batchId, 'batches.cancel'),
      retryBatch: (batchId) => batchAction(batchId, 'batches.retryFailed'),
      retryAllFailed: () => bulkAction('queue.retryFailed'),
      clearFinished: () => bulkAction('queue.clearFinished'),

      start() {
        const offJob = api.on('job.updated', (job) => {
          updatedDuringLoad?.add(job.id)
          set({ jobs: merge(get().jobs, [job]) })
          activity.handle({ event: 'job.updated', data: job })
        })
        const offQueue = api.on('queue.changed', (queue) => {
          set({ queue })
          activity.handle({ event: 'queue.changed', data: queue })
          if (reloadTimer) clearTimeout(reloadTimer)
          reloadTimer = setTimeout(() => {
            reloadTimer = null
            void get().load()
          }, RELOAD_DEBOUNCE_MS)
        })
        return () => {
          offJob()
          offQueue()
          if (reloadTimer) clearTimeout(reloadTimer)
          reloadTimer = null
        }
      },
    }
  })
}
