import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, ExportPreset, ExportPreview, ExportRequest, ExportState } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * Exports as the Export dialog uses them: the presets and naming fields (read once), the preview
 * (asked through the usePreview hook, which drops stale replies), starting and cancelling, and the
 * progress the engine pushes for each export.
 */

export interface ExportChoices {
  presets: ExportPreset[]
  fields: { name: string; help: string }[]
  defaultNaming: string
}

export interface ExportsState {
  choices: ExportChoices | null
  choicesError: ErrorNoteData | null
  /** The latest state of each export started here, by id. */
  exports: Record<string, ExportState>

  loadChoices(): Promise<void>
  /** For usePreview; rejects with the engine's error. */
  preview(request: ExportRequest): Promise<ExportPreview>
  /** Starts an export and follows its progress until it ends; rejects with the engine's error. */
  start(request: ExportRequest): Promise<ExportState>
  cancel(id: string): Promise<void>
}

export type ExportsStore = StoreApi<ExportsState>

export function createExportsStore(api: ApiClient): ExportsStore {
  return createStore<ExportsState>()((set, get) => {
    const record = (state: ExportState): void => {
      // A reply can arrive after the event that ended the export: an ended export stays ended.
      const known = get().exports[state.id]
      if (known && known.status !== 'running' && state.status === 'running') return
      set({ exports: { ...get().exports, [state.id]: state } })
    }
    return {
      choices: null,
      choicesError: null,
      exports: {},

      async loadChoices() {
        if (get().choices) return
        try {
          const { presets, fields, defaultNaming } = await api.call('exports.presets', {})
          set({ choices: { presets, fields, defaultNaming }, choicesError: null })
        } catch (err) {
          set({ choicesError: toErrorNote(err) })
        }
      },
      preview: (request) => api.call('exports.preview', request),
      async start(request) {
        // Listening before asking: a small export can finish before its reply arrives.
        let id: string | null = null
        const early: ExportState[] = []
        const off = api.on('export.progress', (state) => {
          if (id === null) early.push(state)
          else if (state.id === id) {
            record(state)
            if (state.status !== 'running') off()
          }
        })
        let started: ExportState
        try {
          started = await api.call('exports.start', request)
        } catch (err) {
          off()
          throw err
        }
        id = started.id
        const latest = early.filter((state) => state.id === id).at(-1)
        record(latest ?? started)
        if ((latest ?? started).status !== 'running') off()
        return get().exports[id]!
      },
      async cancel(id) {
        record(await api.call('exports.cancel', { id }))
      },
    }
  })
}
