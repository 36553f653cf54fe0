import type { ReactNode } from 'react'
import { useGallery, useStores } from '../stores/stores-context'
import { ErrorNote } from './ErrorNote'
import { GalleryExportButton } from './ExportButton'
import { GalleryCard } from './GalleryCard'

function GallerySearch(): ReactNode {
  const stores = useStores()
  const search = useGallery((s) => s.search)
  return (
    <input
      type="search"
      className="gallery-search"
      aria-label="Search prompts"
      placeholder="Search prompts"
      value={search}
      onChange={(event) => stores.gallery.getState().setSearch(event.target.value)}
    />
  )
}

function GalleryEmpty({ searching }: { searching: boolean }): ReactNode {
  return (
    <p className="empty-state">
      {searching ? 'No images match this search.' : 'No images yet — write a prompt and press Generate.'}
    </p>
  )
}

export function GalleryPanel(): ReactNode {
  const stores = useStores()
  const status = useGallery((s) => s.status)
  const error = useGallery((s) => s.error)
  const images = useGallery((s) => s.images)
  const next = useGallery((s) => s.next)
  const loadingMore = useGallery((s) => s.loadingMore)
  const moreError = useGallery((s) => s.moreError)
  const searching = useGallery((s) => s.search.trim() !== '')

  return (
    <section className="panel gallery-panel" aria-label="Gallery">
      <header className="panel-header">
        <h2>Gallery</h2>
        <GallerySearch />
        <GalleryExportButton />
      </header>
      {status === 'error' && error ? (
        <ErrorNote
          error={error}
          action={
            <button type="button" className="button-quiet" onClick={() => void stores.gallery.getState().load()}>
              Try again
            </button>
          }
        />
      ) : null}
      {status === 'loading' || status === 'idle' ? <p className="empty-state">Loading images…</p> : null}
      {status === 'ready' && images.length === 0 ? <GalleryEmpty searching={searching} /> : null}
      {images.length > 0 ? (
        <ul className="gallery-grid">
          {images.map((image) => (
            <GalleryCard key={image.id} image={image} />
          ))}
        </ul>
      ) : null}
      {moreError ? <ErrorNote error={moreError} /> : null}
      {next ? (
        <button
          type="button"
          className="button-quiet load-more"
          disabled={loadingMore}
          onClick={() => void stores.gallery.getState().loadMore()}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  )
}
