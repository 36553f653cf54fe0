import { useState, type ReactNode } from 'react'
import { hasFilters } from './gallery-store'
import { useGallery, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { GalleryExportButton } from '../export/ExportButton'
import { ConfirmDelete } from './ConfirmDelete'
import { GalleryFilters } from './GalleryFilters'
import { GalleryGrid, GRID_KEYS_HINT_ID } from './GalleryGrid'
import { ImageDetailDialog } from './ImageDetailDialog'
import { SelectionBar } from './SelectionBar'
import './gallery.css'

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
  if (total === null) return null
  const n = total.toLocaleString('en-US')
  return (
    <p className="gallery-count" aria-live="polite">
      {filtered ? `${n} matching` : `${n} image${total === 1 ? '' : 's'}`}
    </p>
  )
}

function GalleryEmpty({ filtered }: { filtered: boolean }): ReactNode {
  const stores = useStores()
  if (!filtered) return <p className="empty-state">No images yet — write a prompt and press Generate.</p>
  return (
    <div className="empty-state">
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
  if (moreError) {
    return (
      <ErrorNote error={moreError} onRetry={() => stores.gallery.getState().loadMore()} />
    )
  }
  return loadingMore ? (
    <p className="hint gallery-more" role="status">
      Loading more images…
    </p>
  ) : null
}

export function GalleryPanel(): ReactNode {
  const stores = useStores()
  const status = useGallery((s) => s.status)
  const error = useGallery((s) => s.error)
  const count = useGallery((s) => s.images.length)
  const filtered = useGallery((s) => hasFilters(s.filters))
  const bulkError = useGallery((s) => s.bulk.error)
  const bulkMessage = useGallery((s) => s.bulk.message)
  const detailId = useGallery((s) => s.detailId)
  const [deleting, setDeleting] = useState<string[] | null>(null)

  return (
    <section className="panel gallery-panel" aria-label="Gallery">
      <header className="panel-header">
        <h2>Gallery</h2>
        <GalleryCount />
        <GallerySearch />
        <GalleryExportButton />
      </header>
      <GalleryFilters />
      <SelectionBar onDeleteRequest={setDeleting} />
      {bulkError ? <ErrorNote error={bulkError} /> : null}
      <p className="gallery-status" role="status">
        {bulkMessage ?? ''}
      </p>
      {status === 'error' && error ? (
        <ErrorNote error={error} onRetry={() => stores.gallery.getState().load()} />
      ) : null}
      {status === 'loading' || status === 'idle' ? <p className="empty-state">Loading images…</p> : null}
      {status === 'ready' && count === 0 ? <GalleryEmpty filtered={filtered} /> : null}
      {count > 0 ? (
        <>
          <GalleryGrid onDeleteRequest={setDeleting} />
          <p className="hint gallery-keys" id={GRID_KEYS_HINT_ID}>
            <kbd>←</kbd>
            <kbd>↑</kbd>
            <kbd>→</kbd>
            <kbd>↓</kbd> move · <kbd>Enter</kbd> opens · <kbd>Space</kbd> selects · <kbd>Shift</kbd>+arrows extend ·{' '}
            <kbd>F</kbd> stars · <kbd>Delete</kbd> deletes · <kbd>Ctrl</kbd>+<kbd>A</kbd> selects all
          </p>
        </>
      ) : null}
      <MoreStatus />
      {detailId ? <ImageDetailDialog id={detailId} onDeleteRequest={setDeleting} /> : null}
      {deleting ? <ConfirmDelete ids={deleting} onDone={() => setDeleting(null)} /> : null}
    </section>
  )
}
