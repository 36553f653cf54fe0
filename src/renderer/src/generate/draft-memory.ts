import { DRAFT_LIMITS, type ApiClient, type WorkspaceDraft } from '../../../shared/api'
import type { ProvidersStore } from '../app/providers-store'
import type { TemplatesState, TemplatesStore } from '../templates/templates-store'
import type { GenerateState, GenerateStore } from './generate-store'

/**
 * The Generate form remembered per library (workspace.get / workspace.save), so a reload or a
 * restart comes back to the same prompt, template, provider, key, sizes and options. Restoring
 * waits for the providers, keys and templates it is checked against, and never writes over a
 * part the user already changed. Saving starts only once the restore is done (or there was
 * nothing to restore), so an empty form starting up can never overwrite a remembered draft.
 */

export const DRAFT_SAVE_DELAY_MS = 400

export interface DraftStores {
  api: ApiClient
  generate: GenerateStore
  providers: ProvidersStore
  templates: TemplatesStore
}

/** Resolves once the store's state passes the check (at once when it already does). */
function until<S>(store: { getState(): S; subscribe(listener: (state: S) => void): () => void }, ready: (state: S) => boolean): Promise<void> {
  if (ready(store.getState())) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = store.subscribe((state) => {
      if (!ready(state)) return
      stop()
      resolve()
    })
  })
}

const clip = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text)

/** The form as workspace.save takes it, cut to the contract's bounds. */
export function draftOf(form: GenerateState, templates: TemplatesState): WorkspaceDraft {
  const values = templates.activeId === null ? {} : templates.values
  return {
    prompt: clip(form.prompt, DRAFT_LIMITS.prompt),
    templateId: templates.activeId,
    templateValues: Object.fromEntries(
      Object.entries(values)
        .filter(([name]) => name.length <= DRAFT_LIMITS.variableName)
        .map(([name, value]) => [name, clip(value, DRAFT_LIMITS.variableValue)]),
    ),
    providerId: form.providerId,
    keyId: form.keyId,
    sizes: form.sizes.filter((s) => s.length <= DRAFT_LIMITS.sizeLabel).slice(0, DRAFT_LIMITS.sizes),
    format: form.format,
    quality: form.quality,
    background: form.background,
    compression: form.compression,
    n: form.n,
  }
}

/**
 * Applies a remembered draft once what it is checked against is known. A template that no
 * longer exists is dropped (its final prompt stays as text); a template is put back only when
 * the user has neither typed a prompt nor picked a template in the meantime.
 */
export async function restoreDraft(stores: DraftStores, draft: WorkspaceDraft | null): Promise<void> {
  await until(stores.providers, (s) => s.status === 'ready' && (s.keysStatus === 'ready' || s.keysStatus === 'error'))
  const templateId = draft?.templateId ?? null
  if (templateId !== null) {
    if (stores.templates.getState().status === 'idle') void stores.templates.getState().load()
    await until(stores.templates, (s) => s.status === 'ready' || s.status === 'error')
  }
  const promptTouched = stores.generate.getState().touched.prompt === true
  const templates = stores.templates.getState()
  const templateTouched = templates.activeId !== null || templates.detachedId !== null
  stores.generate.getState().restoreDraft(draft)
  if (draft && templateId !== null && !promptTouched && !templateTouched && templates.templates.some((t) => t.id === templateId)) {
    stores.templates.getState().restore(templateId, draft.templateValues)
  }
}

/** Saves the draft a moment after each change, and at once when the page goes away. Returns the stop function. */
export function rememberDraft(stores: DraftStores, delayMs = DRAFT_SAVE_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let saved: string | null = null

  const flush = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!stores.generate.getState().draftRestored) return
    const draft = draftOf(stores.generate.getState(), stores.templates.getState())
    const text = JSON.stringify(draft)
    if (text === saved) return
    saved = text
    // A failed save is not worth interrupting a designer for; the next change tries again.
    void stores.api.call('workspace.save', { draft }).catch(() => {
      if (saved === text) saved = null
    })
  }
  const schedule = (): void => {
    if (!stores.generate.getState().draftRestored) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(flush, delayMs)
  }

  const stopForm = stores.generate.subscribe((next, prev) => {
    if (
      next.draftRestored !== prev.draftRestored ||
      next.prompt !== prev.prompt ||
      next.providerId !== prev.providerId ||
      next.keyId !== prev.keyId ||
      next.sizes !== prev.sizes ||
      next.format !== prev.format ||
      next.quality !== prev.quality ||
      next.background !== prev.background ||
      next.compression !== prev.compression ||
      next.n !== prev.n
    ) {
      schedule()
    }
  })
  const stopTemplates = stores.templates.subscribe((next, prev) => {
    if (next.activeId !== prev.activeId || next.values !== prev.values) schedule()
  })
  const onHidden = (): void => {
    if (document.visibilityState === 'hidden') flush()
  }
  window.addEventListener('pagehide', flush)
  window.addEventListener('beforeunload', flush)
  document.addEventListener('visibilitychange', onHidden)
  return () => {
    stopForm()
    stopTemplates()
    window.removeEventListener('pagehide', flush)
    window.removeEventListener('beforeunload', flush)
    document.removeEventListener('visibilitychange', onHidden)
    if (timer) clearTimeout(timer)
    timer = null
  }
}
