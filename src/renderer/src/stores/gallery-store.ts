import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, ImageView } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../format/error-note'

/**
 * The gallery: newest images first, paged by keyset cursor ("Load more" asks for the page after
 * the last image shown), filtered by a prompt search, and kept live by `gallery.changed`.
 */

export const GALLERY_PAGE_SIZE = 30
export const SEARCH_DEBOUNCE_MS = 250

type Cursor = { createdAt: number; id: string }

export interface GalleryState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: ErrorNoteData | null
  images: ImageView[]
  next: Cursor | null
  loadingMore: boolean
  moreError: ErrorNoteData | null
  search: string
  favoriteErrors: Record<string, ErrorNoteData>

  load(): Promise<void>
  loadMore(): Promise<void>
  setSearch(text: string): void
  toggleFavorite(image: ImageView): Promise<void>
  start(): () => void
}

export type GalleryStore = StoreApi<GalleryState>

function newestFirst(a: ImageView, b: ImageView): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

function merge(current: ImageView[], incoming: ImageView[]): ImageView[] {
  const byId = new Map(current.map((image) => [image.id, image]))
  for (const image of incoming) byId.set(image.id, image)
  return [...byId.values()].sort(newestFirst)
}

export function createGalleryStore(api: ApiClient): GalleryStore {
  let searchTimer: ReturnType<typeof setTimeout> | null = null
  let sequence = 0
  const fetching = new Set<string>()

  return createStore<GalleryState>()((set, get) => {
    const query = (after?: Cursor) => {
      const search = get().search.trim()
      return api.call('gallery.list', {
        limit: GALLERY_PAGE_SIZE,
        ...(search ? { search } : {}),
        ...(after ? { after } : {}),
      })
    }

    const added = async (ids: string[]): Promise<void> => {
      const shown = new Set(get().images.map((image) => image.id))
      const missing = ids.filter((id) => !shown.has(id) && !fetching.has(id))
      if (missing.length === 0) return
      // With a search active only the engine knows whether a new image matches: ask again.
      if (get().search.trim()) return get().load()
      for (const id of missing) fetching.add(id)
      const settled = await Promise.allSettled(missing.map((id) => api.call('gallery.get', { id })))
      for (const id of missing) fetching.delete(id)
      const images = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      if (images.length > 0) set({ images: merge(get().images, images) })
    }

    return {
      status: 'idle',
      error: null,
      images: [],
      next: null,
      loadingMore: false,
      moreError: null,
      search: '',
      favoriteErrors: {},

      async load() {
        const mine = ++sequence
        set({ status: get().status === 'ready' ? 'ready' : 'loading', error: null, moreError: null })
        try {
          const page = await query()
          if (mine === sequence) set({ status: 'ready', images: page.images, next: page.next })
        } catch (err) {
          if (mine === sequence) set({ status: 'error', error: toErrorNote(err) })
        }
      },
      async loadMore() {
        const { next, loadingMore } = get()
        if (!next || loadingMore) return
        const mine = sequence
        set({ loadingMore: true, moreError: null })
        try {
          const page = await query(next)
          if (mine === sequence) set({ images: merge(get().images, page.images), next: page.next })
        } catch (err) {
          if (mine === sequence) set({ moreError: toErrorNote(err) })
        } finally {
          set({ loadingMore: false })
        }
      },
      setSearch(text) {
        set({ search: text })
        if (searchTimer) clearTimeout(searchTimer)
        searchTimer = setTimeout(() => {
          searchTimer = null
          void get().load()
        }, SEARCH_DEBOUNCE_MS)
      },
      async toggleFavorite(image) {
        const { [image.id]: _cleared, ...favoriteErrors } = get().favoriteErrors
        set({ favoriteErrors })
        try {
          const updated = await api.call('gallery.favorite', { id: image.id, favorite: !image.favorite })
          set({ images: merge(get().images, [updated]) })
        } catch (err) {
          set({ favoriteErrors: { ...get().favoriteErrors, [image.id]: toErrorNote(err) } })
        }
      },

      start() {
        const off = api.on('gallery.changed', ({ added: ids, removed }) => {
          if (removed.length > 0) {
            const gone = new Set(removed)
            set({ images: get().images.filter((image) => !gone.has(image.id)) })
          }
          if (ids.length > 0) void added(ids)
        })
        // A finished job names its images too; this covers a gallery event missed while the
        // event stream was reconnecting.
        const offJob = api.on('job.updated', (job) => {
          if (job.status === 'succeeded' && job.imageIds.length > 0) void added(job.imageIds)
        })
        return () => {
          off()
          offJob()
          if (searchTimer) clearTimeout(searchTimer)
          searchTimer = null
        }
      },
    }
  })
}
