import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient } from '../../../shared/api'

/**
 * Whether this page may talk to the engine. In browser mode the bridge answers 401 to a page
 * opened without its token (or after the bridge restarted with a new one); then the page shows
 * one explanation instead of the workspace. Inside Electron the session is always there.
 */
export type SessionStatus = 'checking' | 'open' | 'signed-out'

export interface SessionState {
  status: SessionStatus
  signOut(): void
  /** Asks the engine once, before the workspace renders, so a page without its token never shows it. */
  check(api: ApiClient): Promise<void>
}

export type SessionStore = StoreApi<SessionState>

export function createSessionStore(initial: SessionStatus): SessionStore {
  return createStore<SessionState>()((set, get) => ({
    status: initial,
    signOut: () => set({ status: 'signed-out' }),
    async check(api) {
      try {
        await api.call('queue.state', {})
      } catch {
        // A refusal other than the missing session (401, reported through signOut) is the
        // workspace's to show where it belongs.
      }
      if (get().status === 'checking') set({ status: 'open' })
    },
  }))
}
