import type { DragEvent, MouseEvent, ReactNode } from 'react'
import type { ImageView } from '../../../shared/api'
import { useProviders, useStores } from '../app/stores-context'
import { RerunVaryButtons } from '../generate/history/RerunVaryButtons'
import { promptFirstLine } from './prompt-line'
import { GALLERY_IMAGE_TYPE } from '../generate/mask/gallery-drag'

export interface GalleryCardProps {
  image: ImageView
  selected: boolean
  /** Hovered or the active cell: its prompt, size, provider and actions are in the page. */
  expanded: boolean
  onOpen(): void
}

/** The provider's profile name, as the Generate form shows it; the id until the list is in. */
export function useProviderName(id: string): string {
  return useProviders((s) => s.providers.find((p) => p.id === id)?.name ?? id)
}

/** What a tile shows on hover or focus: kept out of the page for the others (the DOM budget). */
function TileOverlay({ image, onOpen }: { image: ImageView; onOpen(): void }): ReactNode {
  const stores = useStores()
  const provider = useProviderName(image.provider)
  const star = (event: MouseEvent): void => {
    event.stopPropagation()
    void stores.gallery.getState().toggleFavorite(image)
  }
  const open = (event: MouseEvent): void => {
    event.stopPropagation()
    onOpen()
  }
  const edit = (event: MouseEvent): void => {
    event.stopPropagation()
    void stores.generate.getState().editImage(image)
  }
  const useAsReference = (event: MouseEvent): void => {
    event.stopPropagation()
    void stores.generate.getState().useImageAsReference(image)
  }
  return (
    <div className="tile-overlay">
      <div className="tile-actions">
        {/* Room here for Rerun and Vary. */}
        <RerunVaryButtons image={image} />
        <button type="button" className="tile-button" tabIndex={-1} aria-label="Details" title="Details (Enter)" onClick={open}>
          ⤢
        </button>
        <button
          type="button"
          className="tile-button favorite-toggle"
          tabIndex={-1}
          aria-pressed={image.favorite}
          aria-label="Favorite"
          title={image.favorite ? 'Remove from favorites (F)' : 'Add to favorites (F)'}
          onClick={star}
        >
          {image.favorite ? '★' : '☆'}
        </button>
        <button type="button" className="tile-button" tabIndex={-1} aria-label="Edit" title="Edit: paint the area to change" onClick={edit}>
          ✎
        </button>
        <button type="button" className="tile-button" tabIndex={-1} aria-label="Use as reference" title="Use as reference (or drag onto the reference images)" onClick={useAsReference}>
          ⊕
        </button>
      </div>
      <div className="tile-info">
        <p className="tile-prompt" title={image.prompt}>
          {promptFirstLine(image.prompt)}
        </p>
        <p className="tile-meta">
          <span>
            {image.width} × {image.height}
          </span>
          <span>{provider}</span>
          {image.tags.length > 0 ? <span className="tile-tags">{image.tags.join(', ')}</span> : null}
        </p>
      </div>
    </div>
  )
}

/**
 * One image in the grid: its thumbnail, whole (object-fit: contain on a quiet backdrop, so a
 * product's edges are never cut off), a check when selected and a star when a favorite. On hover
 * or focus: prompt, size, provider, tags and the actions. The buttons are there for the mouse;
 * from the keyboard the grid's own keys do the same (F stars, R reruns, V varies, Enter opens), so Tab never has to
 * walk through every tile.
 */
export function GalleryCard({ image, selected, expanded, onOpen }: GalleryCardProps): ReactNode {
  const stores = useStores()
  const dragOut = (event: DragEvent): void => {
    // Dropped on the reference images, the tile adds its image (the id, not the browser's URL).
    event.dataTransfer.setData(GALLERY_IMAGE_TYPE, image.id)
    // In the desktop app the OS drag carries the file itself; a browser drags the image's URL.
    const desktop = stores.api.desktop
    if (!desktop) return
    event.preventDefault()
    desktop.startDrag(image.file)
  }
  return (
    <>
      <a
        className="tile-image"
        href={stores.api.mediaUrl(image.file)}
        tabIndex={-1}
        draggable
        onDragStart={dragOut}
        // The tile handles clicks (select, double-click opens); the link is there to be dragged.
        onClick={(event) => event.preventDefault()}
      >
        <img src={stores.api.mediaUrl(image.thumb)} alt={image.prompt} width={image.width} height={image.height} loading="lazy" decoding="async" />
      </a>
      {selected ? (
        <span className="tile-check" aria-hidden="true">
          ✓
        </span>
      ) : null}
      {image.favorite && !expanded ? (
        <span className="tile-star" aria-hidden="true">
          ★
        </span>
      ) : null}
      {expanded ? <TileOverlay image={image} onOpen={onOpen} /> : null}
    </>
  )
}
