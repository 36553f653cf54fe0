import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, GalleryCursor, GalleryFacets, GalleryFilter, ImageDetail, ImageView, TrashInfo } from '../../../shared/api'
import { pluralWord } from '../../../shared/format/plural'
import { newestFirst } from '../../../shared/paging/newest-first'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'
import { createLatestCall } from '../ui/latest-call'
import { clickSelect, EMPTY_SELECTION, selectAll, withoutIds, type ClickModifiers, type Selection } from './gallery-selection'
import { NO_JOB_WATCH, type JobWatch } from './placeholders'

/**
 * The gallery: newest images first, paged by keyset cursor as the grid scrolls towards the end of
 * what is loaded, narrowed by filters, kept live by `gallery.changed`, with a selection that bulk
 * actions (star, tag, delete) work on. It also notes what it sees jobs do in this page (failed,
 * images landing), from which the grid derives its placeholder tiles.
 */

export const GALLERY_PAGE_SIZE = 120
/** Short: a search answers from an index in milliseconds, so the pause is most of the wait. */
export const SEARCH_DEBOUNCE_MS = 80
const FACETS_DEBOUNCE_MS = 400

/** The filter panel's form state (not the query: `toQuery` makes the contract's GalleryFilter of it). Empty strings mean "any". Dates are the inputs' YYYY-MM-DD. */
export interface FilterPanelState {
  search: string
  provider: string
  keyLabel: string
  size: string
  batchId: string
  tag: string
  favorite: boolean
  from: string
  to: string
}

export const NO_FILTERS: FilterPanelState = {
  search: '',
  provider: '',
  keyLabel: '',
  size: '',
  batchId: '',
  tag: '',
  favorite: false,
  from: '',
  to: '',
}

/** Local midnight of a YYYY-MM-DD date, in ms; `to` dates include their whole day. */
export function dayStart(date: string, nextDay = false): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return undefined
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (nextDay ? 1 : 0)).getTime()
}

export function toQuery(f: FilterPanelState): GalleryFilter {
  const q: GalleryFilter = {}
  const search = f.search.trim()
  if (search) q.search = search
  if (f.provider) q.provider = f.provider
  if (f.keyLabel) q.keyLabel = f.keyLabel
  if (f.size) q.size = f.size
  if (f.batchId) q.batchId = f.batchId
  if (f.tag) q.tag = f.tag
  if (f.favorite) q.favorite = true
  const from = dayStart(f.from)
  const to = dayStart(f.to, true)
  if (from !== undefined) q.from = from
  if (to !== undefined) q.to = to
  return q
}

export function hasFilters(f: FilterPanelState): boolean {
  return Object.keys(toQuery(f)).length > 0
}

export interface GalleryState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: ErrorNoteData | null
  images: ImageView[]
  next: GalleryCursor | null
  /** Every image matching the filters, loaded or not; null until the first page arrives. */
  total: number | null
  /** The total is an estimate (the engine counts combined filters exactly only up to a cap). */
  totalApproximate: boolean
  loadingMore: boolean
  moreError: ErrorNoteData | null
  filters: FilterPanelState
  facets: GalleryFacets | null

  selection: Selection
  bulk: { busy: boolean; error: ErrorNoteData | null; message: string | null }
  trash: TrashInfo | null
  /** The image the detail dialog shows, or null when it is closed. */
  detailId: string | null
  /** Everything about that image and its job, once read. */
  detail: { status: 'loading' } | { status: 'error'; error: ErrorNoteData } | { status: 'ready'; value: ImageDetail }
  /** What this page saw jobs do, for the placeholder tiles. */
  jobWatch: JobWatch

  load(): Promise<void>
  loadMore(): Promise<void>
  setFilters(change: Partial<FilterPanelState>): void
  clearFilters(): void
  loadFacets(): Promise<void>
  toggleFavorite(image: ImageView): Promise<void>

  /** A click (or its key) on `order[index]`, `order` being the image ids as the grid shows them. */
  select(order: readonly string[], index: number, mods: ClickModifiers): void
  selectAllMatching(): Promise<void>
  clearSelection(): void
  starSelected(favorite: boolean): Promise<void>
  tagSelected(change: { add?: string[]; remove?: string[] }): Promise<boolean>
  tagImages(ids: string[], change: { add?: string[]; remove?: string[] }): Promise<boolean>
  deleteSelected(): Promise<void>
  deleteImages(ids: string[]): Promise<boolean>
  loadTrashInfo(): Promise<void>

  openDetail(id: string): void
  closeDetail(): void
  /** Takes a failed job's placeholder off the gallery (the job stays in the queue). */
  dismissPlaceholder(jobId: string): void
  /** Jobs asked for in this page (Generate, Retry): their placeholders show while they wait. */
  watchRequested(jobIds: readonly string[]): void
  start(): () => void
}

export type GalleryStore = StoreApi<GalleryState>

/** New images go in front and further pages at the back, each without sorting everything. */
function merge(current: ImageView[], incoming: ImageView[]): ImageView[] {
  const fresh = new Map(incoming.map((image) => [image.id, image]))
  const kept = current.map((image) => fresh.get(image.id) ?? image)
  const known = new Set(current.map((image) => image.id))
  const added = incoming.filter((image) => !known.has(image.id)).sort(newestFirst)
  if (added.length === 0) return kept
  const head = kept[0]
  const tail = kept.at(-1)
  if (!head || !tail || newestFirst(added.at(-1)!, head) < 0) return [...added, ...kept]
  if (newestFirst(tail, added[0]!) < 0) return [...kept, ...added]
  return [...kept, ...added].sort(newestFirst)
}

/** Case-insensitive, as the library compares tags. */
function applyTags(tags: string[], add: string[], remove: string[]): string[] {
  const gone = new Set(remove.map((t) => t.toLowerCase()))
  const out = tags.filter((t) => !gone.has(t.toLowerCase()))
  for (const tag of add) if (!out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag)
  return out.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }))
}

const quoted = (tags: string[]): string => tags.map((t) => `“${t}”`).join(', ')

function tagMessage(images: string, added: string[], removed: string[]): string {
  const add = added.length ? `Tagged ${images} ${quoted(added)}` : ''
  if (!removed.length) return `${add}.`
  return add ? `${add} and removed ${quoted(removed)}.` : `Removed ${quoted(removed)} from ${images}.`
}

/** "1,204 images": counts in the gallery run into thousands. */
const imageCount = (n: number): string => `${n.toLocaleString('en-US')} ${pluralWord(n, 'image')}`

export function createGalleryStore(api: ApiClient): GalleryStore {
  let facetsTimer: ReturnType<typeof setTimeout> | null = null
  // Bumped by every request that replaces the list: an answer to an older one is dropped.
  let sequence = 0
  let detailSequence = 0
  const fetching = new Set<string>()

  return createStore<GalleryState>()((set, get) => {
    // Typing in the search box: each keystroke restarts a short pause; only the newest answer counts.
    const search = createLatestCall(
      (filter: GalleryFilter) => api.call('gallery.list', { ...filter, limit: GALLERY_PAGE_SIZE }),
      (state) => {
        if (state.status === 'ready') {
          sequence += 1
          const page = state.value
          set({ status: 'ready', error: null, moreError: null, images: page.images, next: page.next, total: page.total ?? null, totalApproximate: page.approximate === true })
        } else if (state.status === 'error') {
          sequence += 1
          set({ status: 'error', error: state.error })
        }
      },
      SEARCH_DEBOUNCE_MS,
    )

    const watch = (kind: 'failed' | 'landing', jobId: string, on: boolean): void => {
      const { jobWatch } = get()
      if (jobWatch[kind].has(jobId) === on) return
      const ids = new Set(jobWatch[kind])
      if (on) ids.add(jobId)
      else ids.delete(jobId)
      set({ jobWatch: { ...jobWatch, [kind]: ids } })
    }

    const query = (after?: GalleryCursor) =>
      api.call('gallery.list', { ...toQuery(get().filters), limit: GALLERY_PAGE_SIZE, ...(after ? { after } : {}) })

    const scheduleFacets = (): void => {
      if (facetsTimer) clearTimeout(facetsTimer)
      facetsTimer = setTimeout(() => {
        facetsTimer = null
        void get().loadFacets()
      }, FACETS_DEBOUNCE_MS)
    }

    const added = async (ids: string[]): Promise<void> => {
      const shown = new Set(get().images.map((image) => image.id))
      const missing = ids.filter((id) => !shown.has(id) && !fetching.has(id))
      if (missing.length === 0) return
      // With a filter active only the engine knows whether a new image matches: ask again.
      if (hasFilters(get().filters)) return get().load()
      for (const id of missing) fetching.add(id)
      const settled = await Promise.allSettled(missing.map((id) => api.call('gallery.get', { id })))
      for (const id of missing) fetching.delete(id)
      const images = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      if (images.length === 0) return
      const { total } = get()
      set({ images: merge(get().images, images), total: total === null ? null : total + images.length })
    }

    const removed = (ids: string[]): void => {
      const gone = new Set(ids)
      const images = get().images.filter((image) => !gone.has(image.id))
      const dropped = get().images.length - images.length
      const { total, detailId } = get()
      set({
        images,
        total: total === null ? null : Math.max(0, total - dropped),
        selection: withoutIds(get().selection, gone),
        detailId: detailId !== null && gone.has(detailId) ? null : detailId,
      })
    }

    /** Runs an action on many images, with one busy flag and one place for its outcome. */
    const bulk = async (ids: string[], run: () => Promise<string | null>): Promise<boolean> => {
      if (ids.length === 0 || get().bulk.busy) return false
      set({ bulk: { busy: true, error: null, message: null } })
      try {
        const message = await run()
        set({ bulk: { busy: false, error: null, message } })
        return true
      } catch (err) {
        set({ bulk: { busy: false, error: toErrorNote(err), message: null } })
        return false
      }
    }
    const selected = (): string[] => [...get().selection.ids]

    const patchImages = (ids: Set<string>, patch: (image: ImageView) => ImageView): void => {
      set({ images: get().images.map((image) => (ids.has(image.id) ? patch(image) : image)) })
    }

    return {
      status: 'idle',
      error: null,
      images: [],
      next: null,
      total: null,
      totalApproximate: false,
      loadingMore: false,
      moreError: null,
      filters: NO_FILTERS,
      facets: null,
      selection: EMPTY_SELECTION,
      bulk: { busy: false, error: null, message: null },
      trash: null,
      detailId: null,
      detail: { status: 'loading' },
      jobWatch: NO_JOB_WATCH,

      async load() {
        search.stop()
        const mine = ++sequence
        set({ status: get().status === 'ready' ? 'ready' : 'loading', error: null, moreError: null })
        try {
          const page = await query()
          if (mine === sequence) set({ status: 'ready', images: page.images, next: page.next, total: page.total ?? null, totalApproximate: page.approximate === true })
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
      setFilters(change) {
        set({ filters: { ...get().filters, ...change }, selection: EMPTY_SELECTION })
        const typing = Object.keys(change).length === 1 && 'search' in change
        if (!typing) {
          void get().load()
          return
        }
        // Whatever was on its way answers for older filters now.
        sequence += 1
        search.request(toQuery(get().filters))
      },
      clearFilters() {
        get().setFilters(NO_FILTERS)
      },
      async loadFacets() {
        try {
          set({ facets: await api.call('gallery.facets', {}) })
        } catch {
          // The filter menus keep their last choices; the grid itself is unaffected.
        }
      },
      async toggleFavorite(image) {
        try {
          const updated = await api.call('gallery.favorite', { id: image.id, favorite: !image.favorite })
          set({ images: merge(get().images, [updated]) })
        } catch (err) {
          set({ bulk: { busy: false, error: toErrorNote(err), message: null } })
        }
      },

      select(order, index, mods) {
        set({ selection: clickSelect(get().selection, order, index, mods) })
      },
      async selectAllMatching() {
        // Not a bulk action on a selection: it makes one, so it only shares the busy flag.
        await bulk(['all'], async () => {
          const { ids } = await api.call('gallery.ids', toQuery(get().filters))
          set({ selection: selectAll(ids) })
          return null
        })
      },
      clearSelection() {
        set({ selection: EMPTY_SELECTION, bulk: { ...get().bulk, error: null, message: null } })
      },
      async starSelected(favorite) {
        const ids = selected()
        await bulk(ids, async () => {
          const { updated } = await api.call('gallery.favoriteMany', { ids, favorite })
          patchImages(new Set(ids), (image) => ({ ...image, favorite }))
          if (get().filters.favorite && !favorite) void get().load()
          return `${favorite ? 'Starred' : 'Unstarred'} ${imageCount(updated)}.`
        })
      },
      tagSelected(change) {
        return get().tagImages(selected(), change)
      },
      tagImages(ids, change) {
        return bulk(ids, async () => {
          const result = await api.call('gallery.tag', { ids, add: change.add ?? [], remove: change.remove ?? [] })
          patchImages(new Set(ids), (image) => ({ ...image, tags: applyTags(image.tags, result.added, result.removed) }))
          scheduleFacets()
          if (get().filters.tag) void get().load()
          return tagMessage(imageCount(ids.length), result.added, result.removed)
        })
      },
      async deleteSelected() {
        await get().deleteImages([...get().selection.ids])
      },
      async deleteImages(ids) {
        if (ids.length === 0 || get().bulk.busy) return false
        set({ bulk: { busy: true, error: null, message: null } })
        try {
          const result = await api.call('gallery.delete', { ids })
          removed(result.deleted)
          scheduleFacets()
          const moved = `Moved ${imageCount(result.deleted.length)} to ${result.trash.description}.`
          const first = result.failed[0]
          set({
            trash: result.trash,
            bulk: {
              busy: false,
              message: result.deleted.length > 0 ? moved : null,
              error: first
                ? { message: `${imageCount(result.failed.length)} could not be deleted: ${first.message}`, fix: 'They are still in the gallery; try again.' }
                : null,
            },
          })
          return result.failed.length === 0
        } catch (err) {
          set({ bulk: { busy: false, error: toErrorNote(err), message: null } })
          return false
        }
      },
      async loadTrashInfo() {
        if (get().trash) return
        try {
          set({ trash: await api.call('gallery.trashInfo', {}) })
        } catch {
          // The delete confirmation then says "the trash" without naming the place.
        }
      },

      openDetail(id) {
        if (get().detailId === id && get().detail.status !== 'error') return
        const mine = ++detailSequence
        set({ detailId: id, detail: { status: 'loading' } })
        api.call('gallery.detail', { id }).then(
          (value) => mine === detailSequence && set({ detail: { status: 'ready', value } }),
          (err: unknown) => mine === detailSequence && set({ detail: { status: 'error', error: toErrorNote(err) } }),
        )
      },
      closeDetail() {
        detailSequence += 1
        set({ detailId: null, detail: { status: 'loading' } })
      },
      dismissPlaceholder(jobId) {
        const { jobWatch } = get()
        set({ jobWatch: { ...jobWatch, dismissed: new Set([...jobWatch.dismissed, jobId]) } })
      },
      watchRequested(jobIds) {
        if (jobIds.length === 0) return
        const { jobWatch } = get()
        set({ jobWatch: { ...jobWatch, requested: new Set([...jobWatch.requested, ...jobIds]) } })
      },

      start() {
        void get().loadFacets()
        void get().loadTrashInfo()
        const off = api.on('gallery.changed', ({ added: ids, removed: gone }) => {
          if (gone.length > 0) removed(gone)
          if (ids.length > 0) void added(ids)
          scheduleFacets()
        })
        // A finished job names its images too; this covers a gallery event missed while the
        // event stream was reconnecting. Its placeholders stay until the images are in.
        const offJob = api.on('job.updated', (job) => {
          if (job.status === 'failed') watch('failed', job.id, true)
          if (job.status === 'succeeded' && job.imageIds.length > 0) {
            watch('landing', job.id, true)
            void added(job.imageIds).finally(() => watch('landing', job.id, false))
          }
        })
        return () => {
          off()
          offJob()
          search.stop()
          if (facetsTimer) clearTimeout(facetsTimer)
          facetsTimer = null
        }
      },
    }
  })
}
