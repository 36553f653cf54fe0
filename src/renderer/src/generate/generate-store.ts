import { createStore, type StoreApi } from 'zustand/vanilla'
import {
  ApiError,
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
import { sizeFits } from './custom-size'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { browserFileReader, type ReferenceFileReader } from './references/read-file'
import { checkReferenceLink, looksLikeImage, type DraftReference, type FileReference } from './references/reference-rules'

/**
 * The Generate form: what the user is about to ask for, its live cost preview and the outcome of
 * the last submit. The estimate follows every relevant change after a short pause, and only the
 * newest answer is kept, so a slow reply can never overwrite a newer one.
 */

export const ESTIMATE_DEBOUNCE_MS = 250

export type Quality = 'auto' | 'low' | 'medium' | 'high'
export type Background = 'auto' | 'transparent' | 'opaque'

export interface GenerateState {
  prompt: string
  providerId: string | null
  sizes: string[]
  format: OutputFormat
  keyId: string | null
  quality: Quality
  background: Background
  /** 0-100 for jpeg and webp; null leaves it to the provider. */
  compression: number | null
  /** Images per size. */
  n: number

  references: DraftReference[]
  mask: FileReference | null
  /** Files being read and stored right now. */
  importing: number
  referenceError: ErrorNoteData | null

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
  setQuality(quality: Quality): void
  setBackground(background: Background): void
  setCompression(compression: number | null): void
  setImagesPerSize(n: number): void
  /** Stores the image files in the library and adds them; files that are not images are reported. */
  addReferenceFiles(files: readonly File[]): Promise<void>
  /** Adds an https link; returns what is wrong with it, or null when it was added. */
  addReferenceLink(text: string): string | null
  removeReference(id: string): void
  setMaskFile(file: File): Promise<void>
  removeMask(): void
  dismissReferenceError(): void
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
    quality: state.quality,
    n: state.n,
    ...(state.background !== 'auto' ? { background: state.background } : {}),
    ...(state.compression !== null && state.format !== 'png' ? { compression: state.compression } : {}),
    ...(state.references.length > 0 ? { refs: state.references.map((r) => (r.kind === 'file' ? r.path : r.url)) } : {}),
    ...(state.mask ? { mask: state.mask.path } : {}),
    ...(state.keyId ? { key: { keyId: state.keyId } } : {}),
  }
}

let nextReferenceId = 0
const referenceId = (): string => `ref-${++nextReferenceId}`

export interface GenerateStoreDeps {
  /** Hands newly queued jobs to the queue, so they show before the first event arrives. */
  onQueued(jobs: JobView[]): void
  /** How picked files are read; the browser's FileReader unless a test hands in another. */
  files?: ReferenceFileReader
}

export function createGenerateStore(api: ApiClient, deps: GenerateStoreDeps): GenerateStore {
  const files = deps.files ?? browserFileReader

  /** Reads a file and stores it in the library; the error says which file and why. */
  const importFile = async (file: File): Promise<FileReference> => {
    if (!looksLikeImage(file)) {
      throw new ApiError('bad_input', `${file.name || 'The pasted item'} is not a PNG, JPEG or WebP image.`, {
        fix: 'Use a PNG, JPEG or WebP file.',
      })
    }
    const base64 = await files.base64(file)
    const imported = await api.call('refs.import', { name: file.name || 'pasted image.png', base64 })
    return { kind: 'file', id: referenceId(), ...imported, preview: files.preview(file) }
  }
  const release = (ref: DraftReference | null): void => {
    if (ref?.kind === 'file') files.release(ref.preview)
  }

  const store = createStore<GenerateState>()((set, get) => ({
    prompt: '',
    providerId: null,
    sizes: [],
    format: 'png',
    keyId: null,
    quality: 'auto',
    background: 'auto',
    compression: null,
    n: 1,
    references: [],
    mask: null,
    importing: 0,
    referenceError: null,
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
        sizes: sizes.filter((s) => sizeFits(provider, s)),
        format: provider.formats.includes(format) ? format : (toFormat(provider.formats[0]) ?? 'png'),
        keyId: null,
        submitError: null,
      })
    },
    toggleSize(size, on) {
      const sizes = get().sizes.filter((s) => s !== size)
      set({ sizes: on ? [...sizes, size] : sizes, submitError: null })
    },
    setFormat: (format) =>
      // JPEG has no alpha channel: a transparent background cannot survive the switch.
      set({ format, submitError: null, ...(format === 'jpeg' && get().background === 'transparent' ? { background: 'auto' } : {}) }),
    setKey: (keyId) => set({ keyId, submitError: null }),
    setQuality: (quality) => set({ quality, submitError: null }),
    setBackground: (background) => set({ background, submitError: null }),
    setCompression: (compression) =>
      set({ compression: compression === null ? null : Math.min(100, Math.max(0, Math.round(compression))), submitError: null }),
    setImagesPerSize: (n) => set({ n: Math.min(10, Math.max(1, Math.round(n))), submitError: null }),

    async addReferenceFiles(picked) {
      if (picked.length === 0) return
      set((s) => ({ importing: s.importing + picked.length, referenceError: null }))
      const problems: string[] = []
      let fix: string | undefined
      for (const file of picked) {
        try {
          const ref = await importFile(file)
          set((s) => ({ references: [...s.references, ref] }))
        } catch (err) {
          const note = toErrorNote(err)
          problems.push(note.message)
          fix ??= note.fix
        } finally {
          set((s) => ({ importing: s.importing - 1 }))
        }
      }
      if (problems.length > 0) set({ referenceError: { message: problems.join(' '), ...(fix ? { fix } : {}) } })
    },
    addReferenceLink(text) {
      const checked = checkReferenceLink(text)
      if ('problem' in checked) return checked.problem
      if (get().references.some((r) => r.kind === 'url' && r.url === checked.url)) return 'That link is already in the list.'
      set((s) => ({ references: [...s.references, { kind: 'url', id: referenceId(), url: checked.url }], referenceError: null }))
      return null
    },
    removeReference(id) {
      const gone = get().references.find((r) => r.id === id) ?? null
      release(gone)
      set((s) => ({ references: s.references.filter((r) => r.id !== id), submitError: null }))
    },
    async setMaskFile(file) {
      set((s) => ({ importing: s.importing + 1, referenceError: null }))
      try {
        const mask = await importFile(file)
        if (mask.format !== 'png') {
          files.release(mask.preview)
          set({ referenceError: { message: `The mask must be a PNG with transparency; ${file.name} is ${mask.format.toUpperCase()}.`, fix: 'Export the mask as PNG.' } })
          return
        }
        release(get().mask)
        set({ mask })
      } catch (err) {
        set({ referenceError: toErrorNote(err) })
      } finally {
        set((s) => ({ importing: s.importing - 1 }))
      }
    },
    removeMask() {
      release(get().mask)
      set({ mask: null, submitError: null })
    },
    dismissReferenceError: () => set({ referenceError: null }),
    loadSettings: (settings) =>
      set({
        prompt: settings.prompt,
        providerId: settings.provider,
        sizes: [settings.size],
        format: settings.format,
        keyId: settings.keyId,
        quality: settings.quality,
        background: settings.background ?? 'auto',
        compression: settings.compression,
        n: settings.n,
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
      next.keyId !== prev.keyId ||
      next.n !== prev.n
    ) {
      schedule()
    }
  })
  // Spending moves budgets: a finished job or a changed queue can turn a budget warning on or off.
  const stopQueueEvents = api.on('queue.changed', schedule)
  schedule()
  return () => {
    unsubscribe()
    stopQueueEvents()
    if (timer) clearTimeout(timer)
    timer = null
    sequence += 1
  }
}
