import type { DragEvent, MouseEvent, ReactNode } from 'react'
import type { ImageView } from '../../../shared/api'
import { useStores } from '../app/stores-context'

export interface GalleryCardProps {
  image: ImageView
  selected: boolean
  onOpen(): void
}

/**
 * One image in the grid: its thumbnail (loaded only while the card is on screen), pixel size,
 * format, tags and star. The card's buttons are reachable by mouse; from the keyboard the grid's
 * own keys do the same (F stars, Enter opens), so Tab never has to walk through every card.
 */
export function GalleryCard({ image, selected, onOpen }: GalleryCardProps): ReactNode {
  const stores = useStores()
  const full = stores.api.mediaUrl(image.file)

  const dragOut = (event: DragEvent): void => {
    // In the desktop app the OS drag carries the file itself; a browser drags the image's URL.
    const desktop = stores.api.desktop
    if (!desktop) return
    event.preventDefault()
    desktop.startDrag(image.file)
  }
  const star = (event: MouseEvent): void => {
    event.stopPropagation()
    void stores.gallery.getState().toggleFavorite(image)
  }
  const open = (event: MouseEvent): void => {
    event.stopPropagation()
    onOpen()
  }

  return (
    <figure className={`gallery-card${selected ? ' is-selected' : ''}`}>
      <a
        className="gallery-image"
        href={full}
        tabIndex={-1}
        draggable
        onDragStart={dragOut}
        // The card handles clicks (select, double-click opens); the link is there to be dragged.
        onClick={(event) => event.preventDefault()}
      >
        <img
          src={stores.api.mediaUrl(image.thumb)}
          alt={image.prompt}
          width={image.width}
          height={image.height}
          loading="lazy"
          decoding="async"
        />
      </a>
      {image.tags.length > 0 ? (
        <span className="gallery-tags" title={image.tags.join(', ')}>
          {image.tags.join(', ')}
        </span>
      ) : null}
      {selected ? (
        <span className="gallery-check" aria-hidden="true">
          ✓
        </span>
      ) : null}
      <figcaption>
        <span className="gallery-size">
          {image.width} × {image.height}
        </span>
        <span className="gallery-format">{image.format.toUpperCase()}</span>
        <button type="button" className="card-button" tabIndex={-1} aria-label="Details" title="Details (Enter)" onClick={open}>
          ⤢
        </button>
        <button
          type="button"
          className="favorite-toggle"
          tabIndex={-1}
          aria-pressed={image.favorite}
          aria-label="Favorite"
          title={image.favorite ? 'Remove from favorites (F)' : 'Add to favorites (F)'}
          onClick={star}
        >
          {image.favorite ? '★' : '☆'}
        </button>
      </figcaption>
    </figure>
  )
}
