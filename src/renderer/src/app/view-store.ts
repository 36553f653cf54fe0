import { createStore, type StoreApi } from 'zustand/vanilla'

/** Which top-level view is showing; a store so any control (e.g. "Add a key") can switch it. */
export type ViewId = 'workspace' | 'spend' | 'settings'

/** A dialog the app menu asked for (File › New Batch…, File › Export…); seq tells repeats apart. */
export interface MenuRequest {
  kind: 'new-batch' | 'export'
  seq: number
}

export interface ViewState {
  view: ViewId
  /** The provider "Add a key in Settings" came from, so the key form starts on it. */
  keyProvider: string | null
  menuRequest: MenuRequest | null
  /** Sentences from the desktop app to show until dismissed (a crash recovered from). */
  notices: string[]
  show(view: ViewId): void
  /** Opens Settings with the key form on this provider. */
  addKeyFor(providerId: string): void
  /** Shows the workspace, where the requested dialog's button lives, and asks it to open. */
  requestDialog(kind: MenuRequest['kind']): void
  notify(text: string): void
  dismissNotice(): void
}

export type ViewStore = StoreApi<ViewState>

export function createViewStore(): ViewStore {
  return createStore<ViewState>()((set) => ({
    view: 'workspace',
    keyProvider: null,
    show: (view) => set({ view, keyProvider: null }),
    addKeyFor: (providerId) => set({ view: 'settings', keyProvider: providerId }),
    menuRequest: null,
    notices: [],
    requestDialog: (kind) => set((s) => ({ view: 'workspace', keyProvider: null, menuRequest: { kind, seq: (s.menuRequest?.seq ?? 0) + 1 } })),
    notify: (text) => set((s) => ({ notices: [...s.notices, text] })),
    dismissNotice: () => set((s) => ({ notices: s.notices.slice(1) })),
  }))
}
