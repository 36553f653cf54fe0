import { createStore, type StoreApi } from 'zustand/vanilla'
import { ApiError, type ApiClient, type LibraryInfo, type RecentLibrary } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * Settings' Library section: the folder in use with its figures, the recent ones, and switching.
 * After a switch every other store holds the old library's data, so the page is reloaded (the
 * `reload` dependency) rather than each store being told to start over.
 */
export interface LibraryState {
  current: LibraryInfo | null
  recent: RecentLibrary[]
  loadError: ErrorNoteData | null
  switching: boolean
  switchError: ErrorNoteData | null
  /** Jobs a refused switch would interrupt: the section then offers to pause and switch. */
  blockedBy: { path: string; create: boolean } | null
  load(): Promise<void>
  open(path: string, options: { create: boolean; interrupt?: boolean }): Promise<void>
  forget(path: string): Promise<void>
}

export type LibraryStore = StoreApi<LibraryState>

export function createLibraryStore(api: ApiClient, reload: () => void): LibraryStore {
  return createStore<LibraryState>()((set, get) => ({
    current: null,
    recent: [],
    loadError: null,
    switching: false,
    switchError: null,
    blockedBy: null,
    async load() {
      try {
        const [current, recent] = await Promise.all([api.call('library.current', {}), api.call('library.recent', {})])
        set({ current, recent, loadError: null })
      } catch (err) {
        set({ loadError: toErrorNote(err) })
      }
    },
    async open(path, { create, interrupt = false }) {
      set({ switching: true, switchError: null, blockedBy: null })
      try {
        await api.call('library.open', { path, create, whileRunning: interrupt ? 'interrupt' : 'refuse' })
        reload()
      } catch (err) {
        // The engine refused because jobs run here (its message gives the count).
        const blocked = err instanceof ApiError && err.field === 'whileRunning'
        set({ switchError: toErrorNote(err), blockedBy: blocked ? { path, create } : null })
        void get().load()
      } finally {
        set({ switching: false })
      }
    },
    async forget(path) {
      try {
        await api.call('library.forget', { path })
        await get().load()
      } catch (err) {
        set({ switchError: toErrorNote(err) })
      }
    },
  }))
}
