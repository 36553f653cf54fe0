import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, KeychainStatus, KeyInfo, ProviderSummary } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/** Provider profiles and the keys the user has stored for them (labels only, never secrets). */
export interface ProvidersState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  providers: ProviderSummary[]
  error: ErrorNoteData | null
  keys: KeyInfo[]
  /** Keys are optional for the demo provider, so a keychain problem must not hide providers. */
  keysError: ErrorNoteData | null
  /** Where keys are kept (keychain, encrypted file, session only), once known. */
  keychain: KeychainStatus | null
  load(): Promise<void>
}

export type ProvidersStore = StoreApi<ProvidersState>

export function createProvidersStore(api: ApiClient): ProvidersStore {
  return createStore<ProvidersState>()((set) => ({
    status: 'idle',
    providers: [],
    error: null,
    keys: [],
    keysError: null,
    keychain: null,
    async load() {
      set({ status: 'loading', error: null })
      // Independent on purpose: a slow keychain must not hold up the provider list.
      const keys = api.call('keys.list', {}).then(
        (result) => set({ keys: result.keys, keysError: null, keychain: result.status }),
        (err: unknown) => set({ keys: [], keysError: toErrorNote(err) }),
      )
      try {
        const result = await api.call('providers.list', {})
        set({ status: 'ready', providers: result.providers })
      } catch (err) {
        set({ status: 'error', error: toErrorNote(err) })
      }
      await keys
    },
  }))
}
