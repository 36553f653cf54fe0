import { createStore, type StoreApi } from 'zustand/vanilla'

/** Which top-level view is showing; a store so any control (e.g. "Add a key") can switch it. */
export type ViewId = 'workspace' | 'spend' | 'settings'

export interface ViewState {
  view: ViewId
  /** The provider "Add a key in Settings" came from, so the key form starts on it. */
  keyProvider: string | null
  show(view: ViewId): void
  /** Opens Settings with the key form on this provider. */
  addKeyFor(providerId: string): void
}

export type ViewStore = StoreApi<ViewState>

export function createViewStore(): ViewStore {
  return createStore<ViewState>()((set) => ({
    view: 'workspace',
    keyProvider: null,
    show: (view) => set({ view, keyProvider: null }),
    addKeyFor: (providerId) => set({ view: 'settings', keyProvider: providerId }),
  }))
}
