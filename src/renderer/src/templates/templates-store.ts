import { useEffect } from 'react'
import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  ApiClient,
  Output,
  TemplateClash,
  TemplateFieldsInput,
  TemplateImportResult,
  TemplateView,
} from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { useApi } from '../app/stores-context'

/**
 * The library's prompt templates, shared by the Generate panel's picker and the manager in
 * Settings, plus the picker's choice: which template is active and what the user typed for its
 * variables. Writes go to the engine first; the list is replaced with what the engine answered.
 */
export interface TemplatesState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  templates: TemplateView[]
  error: ErrorNoteData | null

  /** The picker's template, or null for a hand-written prompt. */
  activeId: string | null
  /** Values the user typed, by variable; a variable not here shows its default. */
  values: Record<string, string>

  load(): Promise<void>
  choose(id: string | null): void
  setValue(name: string, value: string): void
  /** Creates (no id) or updates a template; rejects with the engine's error for the form to show. */
  save(input: TemplateFieldsInput & { id?: string }): Promise<TemplateView>
  remove(id: string): Promise<void>
  duplicate(id: string): Promise<TemplateView>
  importFile(json: string, onClash: TemplateClash): Promise<TemplateImportResult>
  exportFile(ids?: string[]): Promise<Output<'templates.export'>>
}

export type TemplatesStore = StoreApi<TemplatesState>

const byName = (a: TemplateView, b: TemplateView): number => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })

export function createTemplatesStore(api: ApiClient): TemplatesStore {
  const store = createStore<TemplatesState>()((set, get) => {
    const upsert = (template: TemplateView): void => {
      const others = get().templates.filter((t) => t.id !== template.id)
      set({ templates: [...others, template].sort(byName) })
    }
    return {
      status: 'idle',
      templates: [],
      error: null,
      activeId: null,
      values: {},

      async load() {
        set({ status: 'loading', error: null })
        try {
          const { templates } = await api.call('templates.list', {})
          set({ status: 'ready', templates })
          // A template deleted elsewhere (Settings, another window) cannot stay chosen.
          if (get().activeId && !templates.some((t) => t.id === get().activeId)) set({ activeId: null, values: {} })
        } catch (err) {
          set({ status: 'error', error: toErrorNote(err) })
        }
      },
      choose: (id) => set({ activeId: id, values: {} }),
      setValue: (name, value) => set({ values: { ...get().values, [name]: value } }),

      async save(input) {
        const saved = await api.call('templates.save', input)
        upsert(saved)
        return saved
      },
      async remove(id) {
        await api.call('templates.remove', { id })
        set({ templates: get().templates.filter((t) => t.id !== id) })
        if (get().activeId === id) set({ activeId: null, values: {} })
      },
      async duplicate(id) {
        const copy = await api.call('templates.duplicate', { id })
        upsert(copy)
        return copy
      },
      async importFile(json, onClash) {
        const result = await api.call('templates.import', { json, onClash })
        await get().load()
        return result
      },
      exportFile: (ids) => api.call('templates.export', ids ? { ids } : {}),
    }
  })
  return store
}

// One store per ApiClient, made on first use, so the picker and the manager share one list.
const storesByApi = new WeakMap<ApiClient, TemplatesStore>()

export function templatesStoreFor(api: ApiClient): TemplatesStore {
  let store = storesByApi.get(api)
  if (!store) storesByApi.set(api, (store = createTemplatesStore(api)))
  return store
}

/** The templates store for this app's client; loads the list the first time anyone asks. */
export function useTemplatesStore(): TemplatesStore {
  const store = templatesStoreFor(useApi())
  useEffect(() => {
    if (store.getState().status === 'idle') void store.getState().load()
  }, [store])
  return store
}

export function useTemplates<T>(store: TemplatesStore, select: (state: TemplatesState) => T): T {
  return useStore(store, select)
}

/** What the picker fills a variable with: what the user typed, else the template's default. */
export function variableValues(template: TemplateView, typed: Record<string, string>): Record<string, string> {
  return Object.fromEntries(template.variables.map((name) => [name, typed[name] ?? template.defaults[name] ?? '']))
}
