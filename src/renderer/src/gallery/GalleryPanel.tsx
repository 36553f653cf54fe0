import { Suspense, useState, type ReactNode } from 'react'
import { pluralWord } from '../../../shared/format/plural'
import { hasFilters, toQuery } from './gallery-store'
import { useGallery, useLayout, useStores } from '../app/stores-context'
import { TILE_SIZES } from '../app/layout-store'
import { ErrorNote } from '../ui/ErrorNote'
import { GalleryExportButton } from '../export/ExportButton'
import { ConfirmDelete } from './ConfirmDelete'
import { useCompare } from './compare/use-compare'
import { FilterPanel } from './FilterPanel'
import { GalleryGrid, GRID_KEYS_HINT_ID } from './GalleryGrid'
import { ImageDetailDialog } from './ImageDetailDialog'
import { SelectionBar } from './SelectionBar'
import { useGalleryView } from './use-gallery-view'
import { lazyView } from '../ui/lazy-view'
import './gallery.css'

// Few sessions compare: its view loads the first time it opens.
const CompareView = lazyView(() => import('./compare/CompareView').then((m) => m.CompareView))

function GallerySearch(): ReactNode {
  const stores = useStores()
  const search = useGallery((s) => s.filters.search)
  return (
    <input
      type="search"
      className="gallery-search"
      aria-label="Search prompts"
      placeholder="Search prompts"
      value={search}
      onChange={(event) => stores.gallery.getState().setFilters({ search: event.target.value })}
    />
  )
}

function GalleryCount(): ReactNode {
  const total = useGallery((s) => s.total)
  const filtered = useGallery((s) => hasFilters(s.filters))
  const approximate = useGallery((s) => s.totalApproximate)
  if (total === null) return null
  const n = `${approximate ? 'about ' : ''}${total.toLocaleString('en-US')}`
  return (
    <p className="gallery-count" aria-live="polite">
      {filtered ? `${n} matching` : `${n} ${pluralWord(total, 'image')}`}
    </p>
  )
}

/** The slider steps through the layout's tile sizes; the choice is remembered per library. */
function TileSizeSlider(): ReactNode {
  const stores = useStores()
  const tileSize = useLayout((s) => s.tileSize)
  const step = Math.max(0, TILE_SIZES.findIndex((s) => s === tileSize))
  return (
    <label className="gallery-tile-size" title="Tile size">
      <span aria-hidden="true">▦</span>
      <input
        type="range"
        aria-label="Tile size"
        aria-valuetext={`${tileSize} px`}
        min={0}
        max={TILE_SIZES.length - 1}
        step={1}
        value={step}
        onChange={(event) => stores.layout.getState().setTileSize(TILE_SIZES[Number(event.target.value)] ?? tileSize)}
      />
    </label>
  )
}

function GroupingToggle(): ReactNode {
  const stores = useStores()
  const grouped = useLayout((s) => s.galleryGrouped)
  const set = (on: boolean) => (): void => stores.layout.getState().setGalleryGrouped(on)
  return (
    <div className="segmented" role="group" aria-label="Arrange images">
      <button type="button" aria-pressed={grouped} title="One row of tiles per generation, under its prompt and cost" onClick={set(true)}>
        Grouped
      </button>
      <button type="button" aria-pressed={!grouped} title="Newest first, one after another" onClick={set(false)}>
        Flat
      </button>
    </div>
  )
}

function GalleryEmpty({ filtered }: { filtered: boolean }): ReactNode {
  const stores = useStores()
  if (!filtered) return <p className="empty-state gallery-empty">No images yet — write a prompt and press Generate.</p>
  return (
    <div className="empty-state gallery-empty">
      <p>No images match these filters.</p>
      <button type="button" className="button-quiet" onClick={() => stores.gallery.getState().clearFilters()}>
        Show all images
      </button>
    </div>
  )
}

function MoreStatus(): ReactNode {
  const stores = useStores()
  const loadingMore = useGallery((s) => s.loadingMore)
  const moreError = useGallery((s) => s.moreError)
  if (moreError) return <ErrorNote error={moreError} onRetry={() => stores.gallery.getState().loadMore()} />
  return loadingMore ? (
    <p className="hint gallery-more" role="status">
      Loading more images…
    </p>
  ) : null
}

/**
 * The gallery fills what its parent gives it: a compact toolbar, the filters when unfolded, and
 * the virtual grid as the one scroller below. Selection actions and messages float over the
 * grid's foot, so choosing an image never moves the tiles.
 */
export function GalleryPanel(): ReactNode {
  const stores = useStores()
  const status = useGallery((s) => s.status)
  const error = useGallery((s) => s.error)
  const filtered = useGallery((s) => hasFilters(s.filters))
  const activeFilters = useGallery((s) => Object.keys(toQuery({ ...s.filters, search: '' })).length)
  const selected = useGallery((s) => s.selection.ids.size)
  const bulkError = useGallery((s) => s.bulk.error)
  const bulkMessage = useGallery((s) => s.bulk.message)
  const detailId = useGallery((s) => s.detailId)
  const comparing = useCompare((s) => s.open)
  const [deleting, setDeleting] = useState<string[] | null>(null)
  const [filtersOpen, setFiltersOpen] = useState(false)
  const view = useGalleryView()

  return (
    <section className="gallery-panel" aria-label="Gallery">
      <header className="gallery-toolbar">
        <h2 className="visually-hidden">Gallery</h2>
        <GalleryCount />
        <GallerySearch />
        <button
          type="button"
          className="button-quiet gallery-filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls="gallery-filters"
          onClick={() => setFiltersOpen((open) => !open)}
        >
          Filters{activeFilters > 0 ? <span className="gallery-filter-count"> ({activeFilters})</span> : null}
        </button>
        <span className="gallery-toolbar-spacer" />
        <GroupingToggle />
        <TileSizeSlider />
        <GalleryExportButton />
      </header>
      {filtersOpen ? <FilterPanel id="gallery-filters" /> : null}
      {status === 'error' && error ? <ErrorNote error={error} onRetry={() => stores.gallery.getState().load()} /> : null}
      {view.items.length > 0 ? (
        <GalleryGrid view={view} onDeleteRequest={setDeleting} />
      ) : status === 'loading' || status === 'idle' ? (
        <p className="empty-state gallery-empty">Loading images…</p>
      ) : status === 'ready' ? (
        <GalleryEmpty filtered={filtered} />
      ) : null}
      <p className="visually-hidden" id={GRID_KEYS_HINT_ID}>
        Arrow keys move, Enter opens, Space selects, Shift with arrows extends, F stars, R reruns, V varies, Delete deletes, Ctrl+A selects all. On a failed
        placeholder Enter retries and Delete dismisses.
      </p>
      <div className="gallery-float">
        <MoreStatus />
        {bulkError ? <ErrorNote error={bulkError} /> : null}
        <p className="gallery-status" role="status">
          {bulkMessage ?? ''}
        </p>
        {selected > 0 ? <SelectionBar onDeleteRequest={setDeleting} /> : null}
      </div>
      {detailId ? <ImageDetailDialog id={detailId} onDeleteRequest={setDeleting} /> : null}
      {comparing ? (
        <Suspense fallback={null}>
          <CompareView onDeleteRequest={setDeleting} />
        </Suspense>
      ) : null}
      {deleting ? <ConfirmDelete ids={deleting} onDone={() => setDeleting(null)} /> : null}
    </section>
  )
}
