import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  ApiClient,
  Input,
  KeyCheckResult,
  Output,
  KeychainStatus,
  KeyInfo,
  ProfileSettings,
  ProviderSummary,
} from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * Provider profiles and the keys the user has stored for them (labels only, never secrets), and
 * every change to them: Settings asks here, so the list the Generate form reads is reloaded after
 * each change. Writes reject with the engine's error for the form that asked to show.
 */
export interface ProvidersState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  providers: ProviderSummary[]
  error: ErrorNoteData | null
  keys: KeyInfo[]
  /** Whether `keys` has been read (or reading failed) since the first load. */
  keysStatus: 'idle' | 'loading' | 'ready' | 'error'
  /** Keys are optional for the demo provider, so a keychain problem must not hide providers. */
  keysError: ErrorNoteData | null
  /** Where keys are kept (keychain, encrypted file, session only), once known. */
  keychain: KeychainStatus | null
  load(): Promise<void>

  /** Stores a key; the secret goes to the engine once and never comes back. */
  addKey(input: Input<'keys.add'>): Promise<KeyInfo>
  /** A free check with the provider where one exists; nothing is charged. */
  testKey(id: string): Promise<KeyCheckResult>
  rotateKey(id: string, secret: string): Promise<KeyInfo>
  removeKey(id: string): Promise<void>
  /** Saves an override of a built-in profile, or adds/replaces a custom one. */
  /** The saved profile, with `keyNotice` when stored keys were left behind by a new host. */
  saveProfile(settings: ProfileSettings): Promise<Output<'providers.save'>>
  /** Removes a custom profile, or resets a built-in one to its defaults. */
  removeProvider(id: string): Promise<void>
}

export type ProvidersStore = StoreApi<ProvidersState>

export function createProvidersStore(api: ApiClient): ProvidersStore {
  return createStore<ProvidersState>()((set, get) => ({
    status: 'idle',
    providers: [],
    error: null,
    keys: [],
    keysStatus: 'idle',
    keysError: null,
    keychain: null,
    async load() {
      set((s) => ({ status: 'loading', error: null, keysStatus: s.keysStatus === 'idle' ? 'loading' : s.keysStatus }))
      // Independent on purpose: a slow keychain must not hold up the provider list.
      const keys = api.call('keys.list', {}).then(
        (result) => set({ keys: result.keys, keysStatus: 'ready', keysError: null, keychain: result.status }),
        (err: unknown) => set({ keys: [], keysStatus: 'error', keysError: toErrorNote(err) }),
      )
      try {
        const result = await api.call('providers.list', {})
        set({ status: 'ready', providers: result.providers })
      } catch (err) {
        set({ status: 'error', error: toErrorNote(err) })
      }
      await keys
    },

    // Adding and rotating hand back as soon as the key is stored, with the list refreshing behind:
    // the form clears the secret field at once instead of holding it until the list is read.
    async addKey(input) {
      const info = await api.call('keys.add', input)
      void get().load()
      return info
    },
    testKey: (id) => api.call('keys.test', { id }),
    async rotateKey(id, secret) {
      const info = await api.call('keys.rotate', { id, secret })
      void get().load()
      return info
    },
    async removeKey(id) {
      await api.call('keys.remove', { id })
      await get().load()
    },
    async saveProfile(settings) {
      const saved = await api.call('providers.save', settings)
      await get().load()
      return saved
    },
    async removeProvider(id) {
      await api.call('providers.remove', { id })
      await get().load()
    },
  }))
}
