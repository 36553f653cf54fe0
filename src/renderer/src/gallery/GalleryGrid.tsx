import { useCallback, useEffect, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import { GALLERY_PAGE_SIZE } from './gallery-store'
import { useGallery, useStores } from '../app/stores-context'
import { GalleryCard } from './GalleryCard'
import { VirtualGrid } from './VirtualGrid'

export const GRID_KEYS_HINT_ID = 'gallery-keys'

export interface GalleryGridProps {
  /** Delete pressed: the caller confirms first. */
  onDeleteRequest(ids: string[]): void
}

/**
 * The gallery's images in the virtual grid, wired to the store: selection by click, Shift-click
 * and Ctrl/Cmd-click; the keys listed in the panel's hint; the next page fetched as the end of
 * what is loaded comes into view.
 */
export function GalleryGrid({ onDeleteRequest }: GalleryGridProps): ReactNode {
  const stores = useStores()
  const images = useGallery((s) => s.images)
  const selection = useGallery((s) => s.selection)
  const [active, setActive] = useState(0)
  const gallery = stores.gallery.getState

  // Deleting or filtering can leave the active index past the end: the grid must stay reachable.
  useEffect(() => {
    if (active > images.length - 1) setActive(Math.max(0, images.length - 1))
  }, [active, images.length])

  const onVisibleEnd = useCallback(
    (last: number) => {
      if (last >= stores.gallery.getState().images.length - GALLERY_PAGE_SIZE / 2) void stores.gallery.getState().loadMore()
    },
    [stores],
  )

  const onMove = (index: number, extend: boolean): void => {
    if (extend) {
      if (gallery().selection.anchor === null) gallery().select(active, { range: false, toggle: true })
      gallery().select(index, { range: true, toggle: false })
    }
    setActive(index)
  }

  const onKey = (event: KeyboardEvent, index: number): boolean => {
    const image = images[index]
    if (!image) return false
    const mod = event.ctrlKey || event.metaKey
    if (event.key === 'Enter') gallery().openDetail(image.id)
    else if (event.key === ' ') gallery().select(index, { range: event.shiftKey, toggle: true })
    else if (mod && event.key.toLowerCase() === 'a') void gallery().selectAllMatching()
    else if (event.key === 'Escape' && selection.ids.size > 0) gallery().clearSelection()
    else if (!mod && event.key.toLowerCase() === 'f') void gallery().toggleFavorite(image)
    else if (event.key === 'Delete' || (event.key === 'Backspace' && event.metaKey)) {
      onDeleteRequest(selection.ids.size > 0 ? [...selection.ids] : [image.id])
    } else return false
    return true
  }

  const onClick = (event: MouseEvent, index: number): void => {
    setActive(index)
    gallery().select(index, { range: event.shiftKey, toggle: event.ctrlKey || event.metaKey })
  }

  return (
    <VirtualGrid
      count={images.length}
      label="Images"
      describedBy={GRID_KEYS_HINT_ID}
      activeIndex={active}
      onMove={onMove}
      onKey={onKey}
      onVisibleEnd={onVisibleEnd}
      isSelected={(index) => selection.ids.has(images[index]?.id ?? '')}
      renderCell={(index) => {
        const image = images[index]!
        return (
          <div
            className="gallery-cell-body"
            onClick={(event) => onClick(event, index)}
            onDoubleClick={() => gallery().openDetail(image.id)}
          >
            <GalleryCard image={image} selected={selection.ids.has(image.id)} onOpen={() => gallery().openDetail(image.id)} />
          </div>
        )
      }}
    />
  )
}
