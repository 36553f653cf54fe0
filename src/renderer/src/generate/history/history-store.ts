import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, PromptHistoryEntry } from '../../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../../ui/format/error-note'
import { createLatestCall } from '../../ui/latest-call'

/**
 * The library's prompt history (prompts.history) for the prompt box: the newest 200 for Up/Down,
 * and what the History list's search finds. Read when first wanted and again after a Generate or
 * a rerun added a prompt (`invalidate`), never on every key press.
 */

/** A search follows typing after this short pause; the newest answer wins. */
export const HISTORY_SEARCH_DELAY_MS = 120

export interface PromptHistoryState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  /** Newest first, without a search. */
  entries: PromptHistoryEntry[]
  error: ErrorNoteData | null
  /** True when a Generate may have added a prompt since `entries` were read. */
  stale: boolean

  search: string
  /** What the History list shows: `entries` without a search, else the engine's matches. */
  results: PromptHistoryEntry[]
  searching: boolean

  /** Reads the history unless it is fresh; resolves with the entries. */
  ensure(): Promise<PromptHistoryEntry[]>
  invalidate(): void
  setSearch(text: string): void
}

export type PromptHistoryStore = StoreApi<PromptHistoryState>

export function createPromptHistoryStore(api: ApiClient, delayMs = HISTORY_SEARCH_DELAY_MS): PromptHistoryStore {
  let reading: Promise<PromptHistoryEntry[]> | null = null
  const store = createStore<PromptHistoryState>()((set, get) => ({
    status: 'idle',
    entries: [],
    error: null,
    stale: true,
    search: '',
    results: [],
    searching: false,

    ensure() {
      if (!get().stale && get().status === 'ready') return Promise.resolve(get().entries)
      reading ??= (async () => {
        set({ status: get().status === 'ready' ? 'ready' : 'loading', error: null, stale: false })
        try {
          const { prompts } = await api.call('prompts.history', {})
          set((s) => ({ status: 'ready', entries: prompts, ...(s.search.trim() === '' ? { results: prompts } : {}) }))
          return prompts
        } catch (err) {
          set({ status: 'error', error: toErrorNote(err), stale: true })
          return get().entries
        } finally {
          reading = null
        }
      })()
      return reading
    },
    invalidate: () => set({ stale: true }),
    setSearch(text) {
      set({ search: text })
      if (text.trim() === '') {
        searches.request(null)
        set({ results: get().entries, searching: false })
      } else {
        set({ searching: true })
        searches.request(text)
      }
    },
  }))
  const searches = createLatestCall(
    (search: string) => api.call('prompts.history', { search }),
    (answer) => {
      if (answer.status === 'ready') store.setState({ results: answer.value.prompts, searching: false, error: null })
      else if (answer.status === 'error') store.setState({ searching: false, error: answer.error })
    },
    delayMs,
  )
  return store
}
