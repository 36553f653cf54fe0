import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, BatchInputDraft, BatchPreview, BatchProgress } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * SKU batches as the New batch dialog uses them: the preview (asked through the usePreview hook,
 * which drops stale replies), Run batch, and the progress of a batch that runs. Progress is read
 * again when the engine says something about the batch's jobs or the queue, never on a timer.
 */

export interface BatchProgressView {
  status: BatchProgress | null
  error: ErrorNoteData | null
}

export interface BatchesState {
  /** Progress by batch id, for the batches a dialog follows. */
  progress: Record<string, BatchProgressView>

  /** What the engine makes of a table; rejects with its error. For usePreview. */
  preview(input: BatchInputDraft): Promise<BatchPreview>
  /** Queues the batch's valid rows; resolves with its id, rejects with the engine's error. */
  run(input: BatchInputDraft): Promise<string>
  /** Reads the batch's progress now and whenever its jobs change; returns the unsubscribe. */
  follow(batchId: string): () => void
  retryFailed(batchId: string): Promise<void>
  cancel(batchId: string): Promise<void>
}

export type BatchesStore = StoreApi<BatchesState>

/** Events come in bursts (a batch of 100 jobs starting): read the progress once per burst. */
const REFRESH_DEBOUNCE_MS = 250

export function createBatchesStore(api: ApiClient): BatchesStore {
  return createStore<BatchesState>()((set, get) => {
    const requests = new Map<string, number>()

    const refresh = async (batchId: string): Promise<void> => {
      const mine = (requests.get(batchId) ?? 0) + 1
      requests.set(batchId, mine)
      const keep = get().progress[batchId]?.status ?? null
      try {
        const status = await api.call('batches.status', { batchId })
        if (requests.get(batchId) === mine) set({ progress: { ...get().progress, [batchId]: { status, error: null } } })
      } catch (err) {
        if (requests.get(batchId) === mine) set({ progress: { ...get().progress, [batchId]: { status: keep, error: toErrorNote(err) } } })
      }
    }

    const act = async (batchId: string, name: 'batches.retryFailed' | 'batches.cancel'): Promise<void> => {
      try {
        await api.call(name, { batchId })
      } catch (err) {
        set({ progress: { ...get().progress, [batchId]: { status: get().progress[batchId]?.status ?? null, error: toErrorNote(err) } } })
        return
      }
      await refresh(batchId)
    }

    return {
      progress: {},
      preview: (input) => api.call('batches.preview', input),
      run: async (input) => (await api.call('batches.run', input)).batchId,
      follow(batchId) {
        let timer: ReturnType<typeof setTimeout> | null = null
        const later = (): void => {
          if (timer) clearTimeout(timer)
          timer = setTimeout(() => {
            timer = null
            void refresh(batchId)
          }, REFRESH_DEBOUNCE_MS)
        }
        const offJob = api.on('job.updated', (job) => {
          if (job.batchId === batchId) later()
        })
        // Also covers a budget changed elsewhere and a reconnected event stream.
        const offQueue = api.on('queue.changed', later)
        void refresh(batchId)
        return () => {
          offJob()
          offQueue()
          if (timer) clearTimeout(timer)
        }
      },
      retryFailed: (batchId) => act(batchId, 'batches.retryFailed'),
      cancel: (batchId) => act(batchId, 'batches.cancel'),
    }
  })
}
