import type { ReactNode } from 'react'
import type { ImageView } from '../../../shared/api'
import { useGallery, useStores } from '../stores/stores-context'
import { ErrorNote } from './ErrorNote'

/** One image: its thumbnail (linking to the full file), pixel size and favourite star. */
export function GalleryCard({ image }: { image: ImageView }): ReactNode {
  const stores = useStores()
  const favoriteError = useGallery((s) => s.favoriteErrors[image.id])

  return (
    <li className="gallery-card">
      <figure>
        <a className="gallery-image" href={stores.api.mediaUrl(image.file)} target="_blank" rel="noopener noreferrer">
          <img
            src={stores.api.mediaUrl(image.thumb)}
            alt={image.prompt}
            width={image.width}
            height={image.height}
            loading="lazy"
            decoding="async"
          />
        </a>
        <figcaption>
          <span className="gallery-size">
            {image.width} × {image.height}
          </span>
          <span className="gallery-format">{image.format.toUpperCase()}</span>
          <button
            type="button"
            className="favorite-toggle"
            aria-pressed={image.favorite}
            aria-label="Favorite"
            title={image.favorite ? 'Remove from favorites' : 'Add to favorites'}
            onClick={() => void stores.gallery.getState().toggleFavorite(image)}
          >
            {image.favorite ? '★' : '☆'}
          </button>
        </figcaption>
        {favoriteError ? <ErrorNote error={favoriteError} /> : null}
      </figure>
    </li>
  )
}
