import { createStore, type StoreApi } from 'zustand/vanilla'
import {
  parseSizeText,
  type ApiClient,
  type Estimate,
  type GenerationRequestInput,
  type JobView,
  type OutputFormat,
  type ProviderSummary,
  type ReusableSettings,
  type SizeSpec,
} from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../format/error-note'

/**
 * The Generate form: what the user is about to ask for, its live cost preview and the outcome of
 * the last submit. The estimate follows every relevant change after a short pause, and only the
 * newest answer is kept, so a slow reply can never overwrite a newer one.
 */

export const ESTIMATE_DEBOUNCE_MS = 250

export interface GenerateState {
  prompt: string
  providerId: string | null
  sizes: string[]
  format: OutputFormat
  keyId: string | null

  estimate: Estimate | null
  estimateStatus: 'idle' | 'loading' | 'ready' | 'error'
  estimateError: ErrorNoteData | null

  submitting: boolean
  submitError: ErrorNoteData | null
  lastQueued: number | null

  setPrompt(prompt: string): void
  /** Switching provider keeps only the sizes and format the new one supports. */
  selectProvider(provider: ProviderSummary): void
  toggleSize(size: string, on: boolean): void
  setFormat(format: OutputFormat): void
  setKey(keyId: string | null): void
  /** Fills the form from an image's job ("Use these settings" in the gallery). */
  loadSettings(settings: ReusableSettings): void
  generate(): Promise<void>
}

export type GenerateStore = StoreApi<GenerateState>

function toFormat(text: string | undefined): OutputFormat | undefined {
  return text === 'png' || text === 'jpeg' || text === 'webp' ? text : undefined
}

function request(state: GenerateState, prompt: string): GenerationRequestInput | null {
  if (!state.providerId) return null
  const sizes = state.sizes.map(parseSizeText).filter((s): s is SizeSpec => s !== undefined)
  if (sizes.length === 0) return null
  return {
    provider: state.providerId,
    prompt,
    sizes,
    format: state.format,
    ...(state.keyId ? { key: { keyId: state.keyId } } : {}),
  }
}

export interface GenerateStoreDeps {
  /** Hands newly queued jobs to the queue, so they show before the first event arrives. */
  onQueued(jobs: JobView[]): void
}

export function createGenerateStore(api: ApiClient, deps: GenerateStoreDeps): GenerateStore {
  const store = createStore<GenerateState>()((set, get) => ({
    prompt: '',
    providerId: null,
    sizes: [],
    format: 'png',
    keyId: null,
    estimate: null,
    estimateStatus: 'idle',
    estimateError: null,
    submitting: false,
    submitError: null,
    lastQueued: null,

    setPrompt: (prompt) => set({ prompt, submitError: null }),
    selectProvider(provider) {
      const { sizes, format, providerId } = get()
      if (providerId === provider.id) return
      set({
        providerId: provider.id,
        sizes: sizes.filter((s) => provider.sizes.includes(s)),
        format: provider.formats.includes(format) ? format : (toFormat(provider.formats[0]) ?? 'png'),
        keyId: null,
        submitError: null,
      })
    },
    toggleSize(size, on) {
      const sizes = get().sizes.filter((s) => s !== size)
      set({ sizes: on ? [...sizes, size] : sizes, submitError: null })
    },
    setFormat: (format) => set({ format, submitError: null }),
    setKey: (keyId) => set({ keyId, submitError: null }),
    loadSettings: (settings) =>
      set({
        prompt: settings.prompt,
        providerId: settings.provider,
        sizes: [settings.size],
        format: settings.format,
        keyId: settings.keyId,
        submitError: null,
      }),

    async generate() {
      const state = get()
      const prompt = state.prompt.trim()
      const input = prompt ? request(state, prompt) : null
      if (!input || state.submitting) return
      set({ submitting: true, submitError: null })
      try {
        const result = await api.call('jobs.generate', input)
        deps.onQueued(result.jobs)
        set({ submitting: false, lastQueued: result.jobs.length })
      } catch (err) {
        set({ submitting: false, submitError: toErrorNote(err) })
      }
    },
  }))

  return store
}

/**
 * Keeps `estimate` in step with the form: after each change of provider, sizes, format or key,
 * and a short pause, asks the engine for a new estimate. Returns the stop function.
 */
export function watchEstimates(store: GenerateStore, api: ApiClient): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let sequence = 0

  const refresh = async (): Promise<void> => {
    timer = null
    const state = store.getState()
    const input = request(state, state.prompt.trim())
    const mine = ++sequence
    if (!input) {
      store.setState({ estimate: null, estimateStatus: 'idle', estimateError: null })
      return
    }
    store.setState({ estimateStatus: 'loading' })
    try {
      const estimate = await api.call('jobs.estimate', input)
      if (mine === sequence) store.setState({ estimate, estimateStatus: 'ready', estimateError: null })
    } catch (err) {
      if (mine === sequence) store.setState({ estimate: null, estimateStatus: 'error', estimateError: toErrorNote(err) })
    }
  }
  const schedule = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void refresh(), ESTIMATE_DEBOUNCE_MS)
  }

  const unsubscribe = store.subscribe((next, prev) => {
    if (
      next.providerId !== prev.providerId ||
      next.sizes !== prev.sizes ||
      next.format !== prev.format ||
      next.keyId !== prev.keyId
    ) {
      schedule()
    }
  })
  schedule()
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    timer = null
    sequence += 1
  }
}
