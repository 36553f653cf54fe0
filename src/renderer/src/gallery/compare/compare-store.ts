import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, ImageDetail } from '../../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../../ui/format/error-note'
import { FIT, type CompareZoom } from './compare-zoom'

/**
 * The compare view's state: which images (the ones chosen, up to a whole generation), which four
 * of them are on screen, each one's record from the engine, the pane with focus, and the one zoom
 * every pane shares. Images deleted anywhere (Discard, another window) leave it; under two left,
 * it closes, since one image is nothing to compare.
 */

export const MAX_COMPARED = 4
export const MIN_COMPARED = 2

export type DetailLoad = { status: 'loading' } | { status: 'error'; error: ErrorNoteData } | { status: 'ready'; value: ImageDetail }

export interface CompareState {
  /** Every image chosen, in gallery order; `start` is the first of the (up to four) shown. */
  ids: string[]
  start: number
  open: boolean
  details: Record<string, DetailLoad>
  /** Index of the focused pane among those shown. */
  focused: number
  zoom: CompareZoom
  /** Why it closed on its own, for the gallery's status line. */
  closedBecause: string | null

  /** Opens on `ids` (two or more; the first four shown). */
  openCompare(ids: readonly string[]): void
  close(): void
  /** The previous or next set of four, when more were chosen. */
  page(by: 1 | -1): void
  focus(index: number): void
  setZoom(zoom: CompareZoom): void
  /** Listens for deleted images while the view is open; returns the stop. */
  watch(): () => void
}

export type CompareStore = StoreApi<CompareState>

/** The ids on screen now. */
export function shownIds(state: Pick<CompareState, 'ids' | 'start'>): string[] {
  return state.ids.slice(state.start, state.start + MAX_COMPARED)
}

export function createCompareStore(api: ApiClient): CompareStore {
  // An answer for a view since closed or reopened is dropped.
  let session = 0

  return createStore<CompareState>()((set, get) => {
    const load = (ids: readonly string[]): void => {
      const mine = session
      const missing = ids.filter((id) => !get().details[id])
      if (missing.length === 0) return
      set({ details: { ...get().details, ...Object.fromEntries(missing.map((id) => [id, { status: 'loading' } as DetailLoad])) } })
      for (const id of missing) {
        api.call('gallery.detail', { id }).then(
          (value) => mine === session && set({ details: { ...get().details, [id]: { status: 'ready', value } } }),
          (err: unknown) => mine === session && set({ details: { ...get().details, [id]: { status: 'error', error: toErrorNote(err) } } }),
        )
      }
    }

    const drop = (gone: readonly string[]): void => {
      const { ids, start, focused, open } = get()
      if (!open || !gone.some((id) => ids.includes(id))) return
      const left = ids.filter((id) => !gone.includes(id))
      if (left.length < MIN_COMPARED) {
        set({ open: false, ids: [], details: {}, closedBecause: 'Compare closed: fewer than two images were left.' })
        session += 1
        return
      }
      // Stay on the same set where possible; the panes close up from the right.
      const nextStart = Math.max(0, Math.min(start, left.length - MAX_COMPARED))
      const shown = Math.min(MAX_COMPARED, left.length - nextStart)
      set({ ids: left, start: nextStart, focused: Math.min(focused, shown - 1) })
      load(shownIds(get()))
    }

    return {
      ids: [],
      start: 0,
      open: false,
      details: {},
      focused: 0,
      zoom: FIT,
      closedBecause: null,

      openCompare(ids) {
        const unique = [...new Set(ids)]
        if (unique.length < MIN_COMPARED) return
        session += 1
        set({ ids: unique, start: 0, open: true, details: {}, focused: 0, zoom: FIT, closedBecause: null })
        load(shownIds(get()))
      },
      close() {
        session += 1
        set({ open: false, ids: [], details: {}, focused: 0, zoom: FIT })
      },
      page(by) {
        const { ids, start } = get()
        if (by < 0 ? start === 0 : start + MAX_COMPARED >= ids.length) return
        // The last set is always a full one where there are four to show: never a lone image.
        const next = Math.max(0, Math.min(start + by * MAX_COMPARED, ids.length - MAX_COMPARED))
        set({ start: next, focused: 0, zoom: FIT })
        load(shownIds(get()))
      },
      focus(index) {
        const count = shownIds(get()).length
        if (count > 0) set({ focused: Math.max(0, Math.min(count - 1, index)) })
      },
      setZoom(zoom) {
        set({ zoom })
      },
      watch() {
        return api.on('gallery.changed', ({ removed }) => {
          if (removed.length > 0) drop(removed)
        })
      },
    }
  })
}
