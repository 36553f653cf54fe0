import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { ownValue } from '../../../shared/templates/template-text'
import type {
  ApiClient,
  Output,
  TemplateClash,
  TemplateFieldsInput,
  TemplateImportResult,
  TemplateView,
} from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

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
  /** The template the prompt was edited away from; its values are kept to re-attach. */
  detachedId: string | null
  /** The hand-written prompt a template replaced, for Undo; null once it is no longer wanted. */
  replaced: string | null

  load(): Promise<void>
  /** Picks a template (or none). Picking the one the prompt was edited away from keeps its values. */
  choose(id: string | null): void
  setValue(name: string, value: string): void
  /** The prompt was edited by hand: let go of the template, keeping its values to come back to. */
  detach(): void
  /** Takes the template the prompt was edited away from back, with the values it had. */
  reattach(): void
  /** Remembers the hand-written prompt a template is replacing (null forgets it). */
  setReplaced(prompt: string | null): void
  /** Puts back a remembered choice (a draft from an earlier session). */
  restore(id: string, values: Record<string, string>): void
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
      detachedId: null,
      replaced: null,

      async load() {
        set({ status: 'loading', error: null })
        try {
          const { templates } = await api.call('templates.list', {})
          set({ status: 'ready', templates })
          // A template deleted elsewhere (Settings, another window) cannot stay chosen.
          if (get().activeId && !templates.some((t) => t.id === get().activeId)) set({ activeId: null, values: {} })
          if (get().detachedId && !templates.some((t) => t.id === get().detachedId)) set({ detachedId: null })
        } catch (err) {
          set({ status: 'error', error: toErrorNote(err) })
        }
      },
      choose: (id) =>
        set((s) => ({ activeId: id, values: id !== null && id === s.detachedId ? s.values : {}, detachedId: null, replaced: null })),
      setValue: (name, value) => set({ values: { ...get().values, [name]: value } }),
      detach: () => set((s) => (s.activeId === null ? {} : { activeId: null, detachedId: s.activeId, replaced: null })),
      reattach: () => set((s) => (s.detachedId === null ? {} : { activeId: s.detachedId, detachedId: null })),
      setReplaced: (replaced) => set({ replaced }),
      restore: (id, values) => set({ activeId: id, values, detachedId: null, replaced: null }),

      async save(input) {
        const saved = await api.call('templates.save', input)
        upsert(saved)
        return saved
      },
      async remove(id) {
        await api.call('templates.remove', { id })
        set({ templates: get().templates.filter((t) => t.id !== id) })
        if (get().activeId === id) set({ activeId: null, values: {} })
        if (get().detachedId === id) set({ detachedId: null })
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

export function useTemplates<T>(store: TemplatesStore, select: (state: TemplatesState) => T): T {
  return useStore(store, select)
}

/** What the picker fills a variable with: what the user typed, else the template's default. */
export function variableValues(template: TemplateView, typed: Record<string, string>): Record<string, string> {
  // Names such as "constructor" are valid variables: read only what the records themselves hold.
  return Object.fromEntries(template.variables.map((name) => [name, ownValue(typed, name) ?? ownValue(template.defaults, name) ?? '']))
}
