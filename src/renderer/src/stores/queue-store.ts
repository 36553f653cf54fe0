import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, JobView, QueueState } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../format/error-note'

/**
 * The job queue as the user sees it: newest jobs first, kept current by `job.updated` events.
 * A `queue.changed` event (also sent by the bridge whenever the event stream reconnects) makes
 * the store re-read the list, so missed events cannot leave a row stuck on "Running".
 */

export const QUEUE_LIST_LIMIT = 100
const RELOAD_DEBOUNCE_MS = 200

export interface QueueStoreState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: ErrorNoteData | null
  jobs: JobView[]
  queue: QueueState | null
  /** Errors of Cancel/Retry, shown on the row they belong to. */
  rowErrors: Record<string, ErrorNoteData>
  busy: Record<string, true>
  queueError: ErrorNoteData | null

  load(): Promise<void>
  addJobs(jobs: JobView[]): void
  cancel(id: string): Promise<void>
  retry(id: string): Promise<void>
  pause(): Promise<void>
  resume(): Promise<void>
  /** Subscribes to engine events; returns the unsubscribe. */
  start(): () => void
}

export type QueueStore = StoreApi<QueueStoreState>

function newestFirst(a: JobView, b: JobView): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
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
    const rowAction = async (id: string, name: 'jobs.cancel' | 'jobs.retry'): Promise<void> => {
      const { [id]: _dropped, ...rowErrors } = get().rowErrors
      set({ busy: { ...get().busy, [id]: true }, rowErrors })
      try {
        const job = await api.call(name, { id })
        set({ jobs: merge(get().jobs, [job]) })
      } catch (err) {
        set({ rowErrors: { ...get().rowErrors, [id]: toErrorNote(err) } })
      } finally {
        const { [id]: _done, ...busy } = get().busy
        set({ busy })
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
      queue: null,
      rowErrors: {},
      busy: {},
      queueError: null,

      async load() {
        if (get().status !== 'ready') set({ status: 'loading', error: null })
        const touched = new Set<string>()
        updatedDuringLoad = touched
        try {
          const [list, queue] = await Promise.all([
            api.call('jobs.list', { limit: QUEUE_LIST_LIMIT }),
            api.call('queue.state', {}),
          ])
          // The list is authoritative, except for rows events changed meanwhile and rows this
          // tab has just queued, which the list may not include yet.
          const listed = new Set(list.jobs.map((j) => j.id))
          const current = get().jobs
          const keep = current.filter((j) => touched.has(j.id) || (!listed.has(j.id) && j.status === 'queued'))
          set({ status: 'ready', error: null, jobs: merge(list.jobs, keep), queue })
        } catch (err) {
          set({ status: 'error', error: toErrorNote(err) })
        } finally {
          if (updatedDuringLoad === touched) updatedDuringLoad = null
        }
      },
      addJobs: (jobs) => set({ jobs: merge(get().jobs, jobs) }),
      cancel: (id) => rowAction(id, 'jobs.cancel'),
      retry: (id) => rowAction(id, 'jobs.retry'),
      pause: () => queueAction('queue.pause'),
      resume: () => queueAction('queue.resume'),

      start() {
        const offJob = api.on('job.updated', (job) => {
          updatedDuringLoad?.add(job.id)
          set({ jobs: merge(get().jobs, [job]) })
        })
        const offQueue = api.on('queue.changed', (queue) => {
          set({ queue })
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
