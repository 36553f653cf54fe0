import { createStore, type StoreApi } from 'zustand/vanilla'
import {
  ApiError,
  FORMAT_TRAITS,
  MAX_IMAGES_PER_SIZE,
  parseSizeText,
  type ApiClient,
  type Background,
  type Estimate,
  type GenerationRequestInput,
  type JobView,
  type OutputFormat,
  type ProviderSummary,
  type Quality,
  type ReusableSettings,
  type SizeSpec,
  type WorkspaceDraft,
  type ReferenceImage,
  type ImageView,
} from '../../../shared/api'
import type { ProvidersStore } from '../app/providers-store'
import type { TemplatesStore } from '../templates/templates-store'
import { templateToRestore, templateUseFor } from './template-use'
import { createLatestCall } from '../ui/latest-call'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import {
  carryOver,
  checkDraft,
  defaultProvider,
  keyFor,
  switchNote,
} from './form-rules'
import { browserFileReader, type ReferenceFileReader } from './references/read-file'
import { promptFirstLine } from '../gallery/prompt-line'
import {
  checkReferenceLink,
  looksLikeImage,
  referenceProblem,
  takesMask,
  type DraftReference,
  type FileReference,
} from './references/reference-rules'
import { editProvider, editsWithMask } from './mask/edit-provider'

/**
 * The Generate form: what the user is about to ask for, its live cost preview and the outcome of
 * the last submit. The estimate follows every relevant change after a very short pause (ticking
 * a size shows its price at once), and only the newest answer is kept, so a slow reply can never
 * overwrite a newer one. The form follows the provider list by itself (form-rules.ts): it starts
 * on a usable provider and size, picks a provider's only key, and says what a switch changed.
 */

/** Sizes, provider, format and count change in steps, not keystrokes: ask almost at once. */
export const ESTIMATE_DELAY_MS = 20

export type { Background, Quality }

/** The parts of the form a user can change; a remembered draft never overwrites a changed part. */
export type FormPart = 'prompt' | 'provider' | 'key' | 'sizes' | 'options'

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
  /**
   * Rough previews the provider streams while it draws (1-3), chosen for one provider (only those
   * that stream offer the choice): another provider is never asked for them. Null: none.
   */
  partialImages: { provider: string; count: number } | null
  /** How closely an edit keeps its reference images; null leaves it to the provider (low). Edits only. */
  inputFidelity: 'low' | 'high' | null
  /** The provider's content-moderation level; null leaves it to the provider (auto). */
  moderation: 'auto' | 'low' | null

  references: DraftReference[]
  mask: FileReference | null
  /** The mask painter is open over the first reference (mask/MaskPainter.tsx). */
  maskPainterOpen: boolean
  /** Files being read and stored right now. */
  importing: number
  referenceError: ErrorNoteData | null

  estimate: Estimate | null
  estimateStatus: 'idle' | 'loading' | 'ready' | 'error'
  estimateError: ErrorNoteData | null

  submitting: boolean
  submitError: ErrorNoteData | null
  /** Jobs queued by the last press; said until the prompt or the provider changes. */
  lastQueued: number | null

  /** What the last provider switch (or the restored draft) had to change; cleared by the next change. */
  switchNote: string | null
  /** Choosing JPEG turned a transparent background to Auto: said, with the way back. */
  formatNote: { text: string; previous: { format: OutputFormat; background: Background } } | null
  /** Parts the user changed in this session (a late draft leaves them alone). */
  touched: Partial<Record<FormPart, true>>
  /** True once the remembered draft was applied, or there was none: saving may start. */
  draftRestored: boolean

  setPrompt(prompt: string): void
  /**
   * The user picks another provider: every setting it accepts stays, the rest is replaced by its
   * nearest (form-rules.ts carryOver), and `switchNote` says what changed.
   */
  selectProvider(provider: ProviderSummary): void
  dismissSwitchNote(): void
  /** Back to the format before JPEG, with the transparent background it had. */
  undoFormat(): void
  /** Follows the provider list and keys: starts on a usable provider, keeps or picks the key. */
  reconcile(): void
  /** Applies a draft from an earlier session to the parts the user has not changed yet. */
  restoreDraft(draft: WorkspaceDraft | null): void
  /** Removes the references and mask the chosen provider cannot take (Generate's way out). */
  removeUnusableReferences(): void
  toggleSize(size: string, on: boolean): void
  setFormat(format: OutputFormat): void
  setKey(keyId: string | null): void
  setQuality(quality: Quality): void
  setBackground(background: Background): void
  setCompression(compression: number | null): void
  setImagesPerSize(n: number): void
  setPartialImages(count: number): void
  setInputFidelity(value: 'low' | 'high' | null): void
  setModeration(value: 'auto' | 'low' | null): void
  /** Stores the image files in the library and adds them; files that are not images are reported. */
  addReferenceFiles(files: readonly File[]): Promise<void>
  /** Adds an https link; returns what is wrong with it, or null when it was added. */
  addReferenceLink(text: string): string | null
  removeReference(id: string): void
  setMaskFile(file: File): Promise<void>
  removeMask(): void
  openMaskPainter(): void
  closeMaskPainter(): void
  /** Stores the painter's PNG as the mask and closes the painter; answers the problem, or null. */
  saveMaskPainting(png: Blob): Promise<ErrorNoteData | null>
  /** "Use as reference": the gallery image is copied into the library's references and added. */
  useImageAsReference(image: ImageView): Promise<ErrorNoteData | null>
  /**
   * "Edit": the image becomes the only reference of an edit, on the chosen provider when it takes
   * a mask, else on one that does (said in `switchNote`), and the mask painter opens on it.
   */
  editImage(image: ImageView): Promise<void>
  /** The first reference and mask of a job (the detail view), with small previews; null when either is gone. */
  describeJobMask(reference: string, mask: string): Promise<{ reference: FileReference; mask: FileReference } | null>
  dismissReferenceError(): void
  /**
   * Fills the form from an image's job ("Use these settings" in the gallery), its reference
   * images and mask included; the ones no longer in the library are named, not dropped silently.
   */
  loadSettings(settings: ReusableSettings): Promise<void>
  /**
   * Vary: an image's settings at that image's size only (a variant of it, not of its whole
   * generation), read from the library and loaded like `loadSettings`. False when they could not
   * be read (the reason is in `submitError`).
   */
  loadImageSettings(imageId: string, scope: 'image' | 'generation'): Promise<boolean>
  /**
   * Rerun: queues a job again with exactly its settings (jobs.rerun), leaving the form alone; the
   * new jobs reach the queue and the gallery's placeholders at once. The error, if any, is returned
   * and also said beside Generate (as `submitError`).
   */
  rerun(jobId: string): Promise<ErrorNoteData | null>
  generate(): Promise<void>
}

export type GenerateStore = StoreApi<GenerateState>

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
    ...(state.compression !== null && FORMAT_TRAITS[state.format].lossy ? { compression: state.compression } : {}),
    ...(state.partialImages?.provider === state.providerId ? { partialImages: state.partialImages.count } : {}),
    // Input fidelity is about reference images: without any it would be refused, so it is not sent.
    ...(state.inputFidelity !== null && state.references.length > 0 ? { inputFidelity: state.inputFidelity } : {}),
    ...(state.moderation !== null ? { moderation: state.moderation } : {}),
    // The form's files are the ones refs.import stored: the only local kind the app may send.
    ...(state.references.length > 0 ? { refs: state.references.map((r): ReferenceImage => (r.kind === 'file' ? { kind: 'stored', path: r.path } : { kind: 'link', url: r.url })) } : {}),
    ...(state.mask ? { mask: { kind: 'stored', path: state.mask.path } } : {}),
    ...(state.keyId ? { key: { keyId: state.keyId } } : {}),
  }
}

/** Resolves once the templates are read (at once when they are, or could not be). */
function templatesRead(templates: TemplatesStore): Promise<void> {
  const done = (s: ReturnType<TemplatesStore['getState']>): boolean => s.status === 'ready' || s.status === 'error'
  if (done(templates.getState())) return Promise.resolve()
  if (templates.getState().status === 'idle') void templates.getState().load()
  return new Promise((resolve) => {
    const stop = templates.subscribe((next) => {
      if (!done(next)) return
      stop()
      resolve()
    })
  })
}


/** Options the next provider does not document are dropped (the engine would refuse them). */
function optionsKept(state: GenerateState, provider: ProviderSummary): Pick<GenerateState, 'inputFidelity' | 'moderation'> {
  return {
    inputFidelity: provider.options?.inputFidelity ? state.inputFidelity : null,
    moderation: provider.options?.moderation ? state.moderation : null,
  }
}

export interface GenerateStoreDeps {
  /** Hands newly queued jobs to the queue, so they show before the first event arrives. */
  onQueued(jobs: JobView[]): void
  /** The provider profiles and stored keys the form checks itself against. */
  providers: ProvidersStore
  /** How picked files are read; the browser's FileReader unless a test hands in another. */
  files?: ReferenceFileReader
  /**
   * The template picker's state: Generate records the template a prompt was filled from, and
   * "Use these settings" picks it again. Without it, prompts are sent and loaded as plain text.
   */
  templates?: TemplatesStore
}

/** Tells draft references apart in the form (list keys, removal); unique within a page. */
const referenceId = (): string => `ref-${crypto.randomUUID()}`

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

  /** A change the user made: it clears the notes about earlier changes and any submit error. */
  const edited = (part: FormPart, touched: GenerateState['touched']): Pick<GenerateState, 'touched' | 'switchNote' | 'formatNote' | 'submitError'> => ({
    touched: { ...touched, [part]: true },
    switchNote: null,
    formatNote: null,
    submitError: null,
  })

  // Each "Use these settings" supersedes the one before, whose lookups may still be answering.
  let settingsLoad = 0

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
    partialImages: null,
    inputFidelity: null,
    moderation: null,
    references: [],
    mask: null,
    maskPainterOpen: false,
    importing: 0,
    referenceError: null,
    estimate: null,
    estimateStatus: 'idle',
    estimateError: null,
    submitting: false,
    submitError: null,
    lastQueued: null,
    switchNote: null,
    formatNote: null,
    touched: {},
    draftRestored: false,

    setPrompt: (prompt) => set((s) => ({ prompt, lastQueued: null, ...edited('prompt', s.touched) })),
    selectProvider(provider) {
      const state = get()
      if (state.providerId === provider.id) return
      const { patch, changes } = carryOver(state, provider, deps.providers.getState().keys)
      set({ ...patch, ...optionsKept(state, provider), ...edited('provider', state.touched), switchNote: switchNote(provider, changes), lastQueued: null })
    },
    dismissSwitchNote: () => set({ switchNote: null }),
    toggleSize(size, on) {
      const sizes = get().sizes.filter((s) => s !== size)
      set((s) => ({ sizes: on ? [...sizes, size] : sizes, ...edited('sizes', s.touched) }))
    },
    setFormat(format) {
      const state = get()
      if (format === state.format) return
      // JPEG has no alpha channel: the transparent background cannot stay, and the user hears so.
      const losesTransparency = !FORMAT_TRAITS[format].alpha && state.background === 'transparent'
      set({
        format,
        ...edited('options', state.touched),
        ...(losesTransparency
          ? {
              background: 'auto',
              formatNote: {
                text: 'JPEG has no transparency, so the background is now Auto.',
                previous: { format: state.format, background: 'transparent' },
              },
            }
          : {}),
      })
    },
    undoFormat() {
      const note = get().formatNote
      if (note) set({ format: note.previous.format, background: note.previous.background, formatNote: null })
    },
    setKey: (keyId) => set((s) => ({ keyId, ...edited('key', s.touched) })),
    setQuality: (quality) => set((s) => ({ quality, ...edited('options', s.touched) })),
    setBackground: (background) => set((s) => ({ background, ...edited('options', s.touched) })),
    setCompression: (compression) =>
      set((s) => ({
        compression: compression === null ? null : Math.min(100, Math.max(0, Math.round(compression))),
        ...edited('options', s.touched),
      })),
    setImagesPerSize: (n) => set((s) => ({ n: Math.min(MAX_IMAGES_PER_SIZE, Math.max(1, Math.round(n))), ...edited('options', s.touched) })),
    setPartialImages: (count) =>
      set((s) => {
        const n = Math.min(3, Math.max(0, Math.round(count)))
        return { partialImages: n > 0 && s.providerId ? { provider: s.providerId, count: n } : null, ...edited('options', s.touched) }
      }),
    setInputFidelity: (inputFidelity) => set((s) => ({ inputFidelity, ...edited('options', s.touched) })),
    setModeration: (moderation) => set((s) => ({ moderation, ...edited('options', s.touched) })),

    reconcile() {
      const { status, providers, keys, keysStatus } = deps.providers.getState()
      if (status !== 'ready') return
      const state = get()
      const provider = providers.find((p) => p.id === state.providerId)
      if (!provider) {
        // A fresh form, or its provider was removed in Settings: start on one usable right away.
        const start = defaultProvider(providers, keys)
        if (!start) return
        const { patch, changes } = carryOver(state, start, keys)
        set({ ...patch, switchNote: state.providerId === null ? null : switchNote(start, changes) })
        return
      }
      // Until the keys are read, an unknown key is not a missing one.
      if (keysStatus !== 'ready') return
      const keyId = keyFor(provider, keys, state.keyId)
      if (keyId !== state.keyId) set({ keyId })
    },

    restoreDraft(draft) {
      const state = get()
      const { providers, keys } = deps.providers.getState()
      const touched = state.touched
      const checked = draft
        ? checkDraft(
            {
              providerId: touched.provider ? state.providerId : draft.providerId,
              sizes: touched.provider || touched.sizes ? state.sizes : draft.sizes,
              format: touched.options ? state.format : draft.format,
              keyId: touched.provider || touched.key ? state.keyId : draft.keyId,
              background: touched.options ? state.background : draft.background,
              quality: touched.options ? state.quality : draft.quality,
            },
            providers,
            keys,
          )
        : null
      if (!draft || !checked) {
        set({ draftRestored: true })
        return
      }
      set({
        ...(touched.prompt ? {} : { prompt: draft.prompt }),
        ...(touched.options ? {} : { quality: draft.quality, compression: draft.compression, n: draft.n }),
        ...checked.patch,
        ...(checked.changes.length > 0 ? { switchNote: `From your last session: ${checked.changes.join('; ')}.` } : {}),
        draftRestored: true,
      })
    },

    removeUnusableReferences() {
      const state = get()
      const provider = deps.providers.getState().providers.find((p) => p.id === state.providerId)
      if (!provider) return
      const usable = state.references.filter((r) => referenceProblem(provider, r) === null)
      for (const ref of state.references) if (!usable.includes(ref)) release(ref)
      const keepMask = state.mask !== null && takesMask(provider)
      if (!keepMask) release(state.mask)
      set({ references: usable, mask: keepMask ? state.mask : null, submitError: null })
    },

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
    openMaskPainter: () => set({ maskPainterOpen: true }),
    closeMaskPainter: () => set({ maskPainterOpen: false }),
    async saveMaskPainting(png) {
      try {
        const mask = await importFile(new File([png], 'Painted mask.png', { type: 'image/png' }))
        release(get().mask)
        set({ mask, maskPainterOpen: false, referenceError: null, submitError: null })
        return null
      } catch (err) {
        return toErrorNote(err)
      }
    },
    async useImageAsReference(image) {
      set((s) => ({ importing: s.importing + 1, referenceError: null }))
      try {
        const ref = await imageReference(image)
        set((s) => ({ references: [...s.references, ref], submitError: null }))
        return null
      } catch (err) {
        const note = toErrorNote(err)
        set({ referenceError: note })
        return note
      } finally {
        set((s) => ({ importing: s.importing - 1 }))
      }
    },
    async editImage(image) {
      const { providers } = deps.providers.getState()
      const current = providers.find((p) => p.id === get().providerId)
      const target = current && editsWithMask(current) ? current : editProvider(providers, deps.providers.getState().keys)
      if (!target) {
        set({ referenceError: { message: 'None of your providers can edit an image with a mask.', fix: 'Add a provider that edits images (for example OpenAI or TokenHub) in Settings.' } })
        return
      }
      if (target !== current) {
        get().selectProvider(target)
        // Said even when nothing else had to change: the user did not pick this provider.
        if (!get().switchNote) set({ switchNote: `Switched to ${target.name}: ${current?.name ?? 'the chosen provider'} cannot edit with a mask.` })
      }
      set((s) => ({ importing: s.importing + 1, referenceError: null }))
      try {
        const ref = await imageReference(image)
        const state = get()
        for (const old of state.references) release(old)
        release(state.mask)
        set({ references: [ref], mask: null, maskPainterOpen: true, submitError: null })
      } catch (err) {
        set({ referenceError: toErrorNote(err) })
      } finally {
        set((s) => ({ importing: s.importing - 1 }))
      }
    },
    async describeJobMask(reference, mask) {
      const found = await describeStored([reference, mask])
      const ref = found.get(reference)
      const painted = found.get(mask)
      return ref && 'reference' in ref && painted && 'reference' in painted ? { reference: ref.reference, mask: painted.reference } : null
    },
    dismissReferenceError: () => set({ referenceError: null }),

    async loadSettings(settings) {
      const mine = ++settingsLoad
      const state = get()
      const { providers, keys } = deps.providers.getState()
      const checked = checkDraft(
        {
          providerId: settings.provider,
          sizes: settings.sizes && settings.sizes.length > 0 ? settings.sizes : [settings.size],
          format: settings.format,
          keyId: settings.keyId,
          background: settings.background ?? 'auto',
          quality: settings.quality,
        },
        providers,
        keys,
      )
      const provider = providers.find((p) => p.id === (checked?.patch.providerId ?? settings.provider))
      // The form's template goes first, so the prompt below is not taken for an edit of it.
      deps.templates?.getState().choose(null)
      for (const ref of state.references) release(ref)
      release(state.mask)
      const links = (settings.refs ?? []).flatMap((r) => (r.kind === 'link' ? [r.url] : []))
      // A local path the library does not hold (a command-line job's file) is reported missing by refs.describe.
      const localMask = settings.mask && settings.mask.kind !== 'link' ? settings.mask.path : undefined
      const stored = [...(settings.refs ?? []).flatMap((r) => (r.kind === 'link' ? [] : [r.path])), ...(localMask ? [localMask] : [])]
      set({
        prompt: settings.prompt,
        quality: settings.quality,
        compression: settings.compression,
        n: settings.n,
        ...(checked ? checked.patch : {}),
        // Options the provider does not offer (any more) are left to it.
        inputFidelity: provider?.options?.inputFidelity ? (settings.inputFidelity ?? null) : null,
        moderation: provider?.options?.moderation ? (settings.moderation ?? null) : null,
        partialImages: settings.partialImages && provider ? { provider: provider.id, count: settings.partialImages } : null,
        references: [],
        mask: null,
        referenceError: null,
        touched: { prompt: true, provider: true, key: true, sizes: true, options: true },
        switchNote: checked && checked.changes.length > 0 ? `From that image: ${checked.changes.join('; ')}.` : null,
        formatNote: null,
        submitError: null,
        lastQueued: null,
      })
      if (settings.template && deps.templates) void restoreTemplate(settings, mine)
      if (stored.length === 0) {
        set({ references: links.map((url) => ({ kind: 'url', id: referenceId(), url })) })
        return
      }
      set((s) => ({ importing: s.importing + stored.length }))
      let described: Awaited<ReturnType<typeof describeStored>>
      try {
        described = await describeStored(stored)
      } catch (err) {
        if (mine === settingsLoad) set({ referenceError: toErrorNote(err) })
        return
      } finally {
        set((s) => ({ importing: s.importing - stored.length }))
      }
      if (mine !== settingsLoad) return
      // The job's order matters (a mask applies to the first reference), so it is kept.
      // Stored files are named by their content hash; the list names them by their place instead.
      const references: DraftReference[] = (settings.refs ?? []).flatMap((ref, index): DraftReference[] => {
        if (ref.kind === 'link') return [{ kind: 'url', id: referenceId(), url: ref.url }]
        const found = described.get(ref.path)
        return found && 'reference' in found ? [{ ...found.reference, id: referenceId(), name: `Reference ${index + 1} of that image` }] : []
      })
      const maskFound = localMask ? described.get(localMask) : undefined
      if (maskFound && 'reference' in maskFound) maskFound.reference.name = 'Mask of that image'
      const missing = [...described.values()].filter((d): d is { problem: string } => 'problem' in d).map((d) => d.problem)
      set({
        references,
        mask: maskFound && 'reference' in maskFound ? maskFound.reference : null,
        referenceError:
          missing.length > 0
            ? {
                message: `Not everything that image was made from could be brought back: ${missing.join(' ')}`,
                fix: 'Add the missing images again, or generate without them.',
              }
            : null,
      })
    },

    async loadImageSettings(imageId, scope) {
      try {
        const { settings } = await api.call('gallery.detail', { id: imageId })
        const keyId = deps.providers.getState().keys.some((k) => k.id === settings.keyId) ? settings.keyId : null
        await get().loadSettings({ ...settings, keyId, ...(scope === 'image' ? { sizes: [settings.size] } : {}) })
        return true
      } catch (err) {
        set({ submitError: toErrorNote(err) })
        return false
      }
    },

    async rerun(jobId) {
      try {
        const result = await api.call('jobs.rerun', { id: jobId })
        deps.onQueued(result.jobs)
        return null
      } catch (err) {
        // Said beside Generate too: a tile's Rerun has nowhere else to say it.
        const note = toErrorNote(err)
        set({ submitError: { ...note, message: `Rerun: ${note.message}` } })
        return note
      }
    },

    async generate() {
      const state = get()
      const prompt = state.prompt.trim()
      const template = deps.templates ? templateUseFor(deps.templates.getState(), prompt) : undefined
      const asked = prompt ? request(state, prompt) : null
      const input = asked && template ? { ...asked, template } : asked
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

  /** Picks the job's template again with its values, once the templates are read, unless a newer load came. */
  async function restoreTemplate(settings: ReusableSettings, mine: number): Promise<void> {
    const templates = deps.templates!
    await templatesRead(templates)
    if (mine !== settingsLoad || !settings.template) return
    const outcome = templateToRestore(templates.getState().templates, settings.template, settings.prompt)
    if ('restore' in outcome) {
      templates.getState().restore(outcome.restore.id, outcome.restore.values)
      return
    }
    const earlier = store.getState().switchNote
    store.setState({ switchNote: earlier ? `${earlier.slice(0, -1)}; ${outcome.note}.` : `From that image: ${outcome.note}.` })
  }

  /** A gallery image stored as a reference; its preview is the library file itself, at full size. */
  async function imageReference(image: ImageView): Promise<FileReference> {
    const stored = await api.call('refs.fromImage', { imageId: image.id })
    const name = promptFirstLine(image.prompt).trim() || stored.name
    return { kind: 'file', id: referenceId(), ...stored, name, preview: api.mediaUrl(image.file) }
  }

  /** Looks up stored reference files (and a mask) by path: each is found, with a thumbnail, or said to be missing. */
  async function describeStored(paths: string[]): Promise<Map<string, { reference: FileReference } | { problem: string }>> {
    const { references } = await api.call('refs.describe', { paths })
    const byPath = new Map<string, { reference: FileReference } | { problem: string }>()
    references.forEach((answer, index) => {
      const path = paths[index]!
      if (answer.found) byPath.set(path, { reference: { kind: 'file', id: referenceId(), ...answer.reference, preview: api.mediaUrl(answer.media) } })
      else byPath.set(path, { problem: answer.problem })
    })
    return byPath
  }

  return store
}


function priceRequest(state: GenerateState): GenerationRequestInput | null {
  const input = request(state, '')
  if (!input) return null
  // The price depends on none of these, and the engine checks references (and input fidelity
  // against them) in an estimate too: the preview keeps to money; Generate reports the rest.
  const { refs: _refs, mask: _mask, inputFidelity: _fidelity, ...priced } = input
  return priced
}

/**
 * Keeps `estimate` in step with the form: each change of provider, sizes, format, key or count
 * asks the engine again after ESTIMATE_DELAY_MS (createLatestCall drops stale answers). While an
 * answer is on its way the last numbers stay on screen, so the preview never flickers to empty.
 * Returns the stop function.
 */
export function watchEstimates(store: GenerateStore, api: ApiClient, delayMs = ESTIMATE_DELAY_MS): () => void {
  const latest = createLatestCall<GenerationRequestInput, Estimate>(
    (input) => api.call('jobs.estimate', input),
    (preview) => {
      if (preview.status === 'idle') store.setState({ estimate: null, estimateStatus: 'idle', estimateError: null })
      else if (preview.status === 'loading') store.setState({ estimateStatus: 'loading' })
      else if (preview.status === 'ready') store.setState({ estimate: preview.value, estimateStatus: 'ready', estimateError: null })
      else store.setState({ estimate: null, estimateStatus: 'error', estimateError: preview.error })
    },
    delayMs,
  )
  // The price depends on provider, sizes, format and count, never on the words. References are
  // left out too: the engine checks them in an estimate, and the form shows their problems itself.
  const ask = (): void => latest.request(priceRequest(store.getState()))

  const unsubscribe = store.subscribe((next, prev) => {
    if (
      next.providerId !== prev.providerId ||
      next.sizes !== prev.sizes ||
      next.format !== prev.format ||
      next.keyId !== prev.keyId ||
      next.moderation !== prev.moderation ||
      next.n !== prev.n
    ) {
      ask()
    }
  })
  // Spending moves budgets: a finished job or a changed queue can turn a budget warning on or off.
  const stopQueueEvents = api.on('queue.changed', () => latest.refresh())
  ask()
  return () => {
    unsubscribe()
    stopQueueEvents()
    latest.stop()
  }
}

/** Keeps the form in step with the provider list and the stored keys (see `reconcile`). */
export function followProviders(store: GenerateStore, providers: ProvidersStore): () => void {
  store.getState().reconcile()
  return providers.subscribe((next, prev) => {
    if (next.providers !== prev.providers || next.keys !== prev.keys || next.status !== prev.status || next.keysStatus !== prev.keysStatus) {
      store.getState().reconcile()
    }
  })
}
