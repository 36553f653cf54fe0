import { createStore, type StoreApi } from 'zustand/vanilla'

/** Which top-level view is showing; a store so any control (e.g. "Add a key") can switch it. */
export type ViewId = 'workspace' | 'spend' | 'settings'

export interface ViewState {
  view: ViewId
  show(view: ViewId): void
}

export type ViewStore = StoreApi<ViewState>

export function createViewStore(): ViewStore {
  return createStore<ViewState>()((set) => ({
    view: 'workspace',
    show: (view) => set({ view }),
  }))
}
