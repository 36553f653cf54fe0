import { useCallback, useEffect, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import { GALLERY_PAGE_SIZE } from './gallery-store'
import { useGallery, useLayout, useStores } from '../app/stores-context'
import { GalleryCard } from './GalleryCard'
import { GroupHeader } from './GroupHeader'
import { PlaceholderTile } from './PlaceholderTile'
import type { GalleryView } from './use-gallery-view'
import { VirtualGrid } from './VirtualGrid'
import { varyImage } from '../generate/history/RerunVaryButtons'

export const GRID_KEYS_HINT_ID = 'gallery-keys'

export interface GalleryGridProps {
  view: GalleryView
  /** Delete pressed: the caller confirms first. */
  onDeleteRequest(ids: string[]): void
}

/**
 * The gallery's tiles in the virtual grid, wired to the stores: placeholders first, then images,
 * under a header per generation when grouped; selection by click, Shift-click and Ctrl/Cmd-click;
 * the keys listed in the panel's hint; the next page fetched as the end of what is loaded comes
 * into view.
 */
export function GalleryGrid({ view, onDeleteRequest }: GalleryGridProps): ReactNode {
  const stores = useStores()
  const selection = useGallery((s) => s.selection)
  const tileSize = useLayout((s) => s.tileSize)
  const [active, setActive] = useState(0)
  const [hovered, setHovered] = useState<number | null>(null)
  const gallery = stores.gallery.getState
  const { items, sections, gridSections, imageOrder, orderOf } = view

  // Deleting or filtering can leave the active index past the end: the grid must stay reachable.
  useEffect(() => {
    if (active > items.length - 1) setActive(Math.max(0, items.length - 1))
  }, [active, items.length])

  const onVisibleEnd = useCallback(
    (last: number) => {
      if (last >= items.length - GALLERY_PAGE_SIZE / 2) void stores.gallery.getState().loadMore()
    },
    [stores, items.length],
  )

  /** The image at display index `index` as a position in the image order, or -1 for a placeholder. */
  const imageIndex = (index: number): number => {
    const item = items[index]
    return item?.kind === 'image' ? (orderOf.get(item.image.id) ?? -1) : -1
  }

  const onMove = (index: number, extend: boolean): void => {
    if (extend && imageIndex(index) >= 0) {
      if (gallery().selection.anchor === null && imageIndex(active) >= 0) gallery().select(imageOrder, imageIndex(active), { range: false, toggle: true })
      gallery().select(imageOrder, imageIndex(index), { range: true, toggle: false })
    }
    setActive(index)
  }

  const onKey = (event: KeyboardEvent, index: number): boolean => {
    const item = items[index]
    if (!item) return false
    const mod = event.ctrlKey || event.metaKey
    if (mod && event.key.toLowerCase() === 'a') void gallery().selectAllMatching()
    else if (event.key === 'Escape' && selection.ids.size > 0) gallery().clearSelection()
    else if (item.kind === 'placeholder') {
      const { job, state } = item.placeholder
      if (state !== 'failed') return false
      if (event.key === 'Enter') void stores.queue.getState().retry(job.id)
      else if (event.key === 'Delete') gallery().dismissPlaceholder(job.id)
      else return false
    } else {
      const { image } = item
      if (event.key === 'Enter') gallery().openDetail(image.id)
      else if (event.key === ' ') gallery().select(imageOrder, imageIndex(index), { range: event.shiftKey, toggle: true })
      else if (!mod && event.key.toLowerCase() === 'f') void gallery().toggleFavorite(image)
      else if (!mod && event.key.toLowerCase() === 'r') void stores.generate.getState().rerun(image.jobId)
      else if (!mod && event.key.toLowerCase() === 'v') void varyImage(stores.generate, image.id)
      else if (event.key === 'Delete' || (event.key === 'Backspace' && event.metaKey)) {
        onDeleteRequest(selection.ids.size > 0 ? [...selection.ids] : [image.id])
      } else return false
    }
    return true
  }

  const onClick = (event: MouseEvent, index: number): void => {
    setActive(index)
    const at = imageIndex(index)
    if (at >= 0) gallery().select(imageOrder, at, { range: event.shiftKey, toggle: event.ctrlKey || event.metaKey })
  }

  const hover = (index: number | null) => (): void => setHovered((h) => (index === null ? null : index === h ? h : index))

  return (
    <VirtualGrid
      sections={gridSections}
      tileSize={tileSize}
      label="Images"
      describedBy={GRID_KEYS_HINT_ID}
      activeIndex={active}
      onMove={onMove}
      onKey={onKey}
      onVisibleEnd={onVisibleEnd}
      isSelected={(index) => {
        const item = items[index]
        return item?.kind === 'image' && selection.ids.has(item.image.id)
      }}
      renderHeader={(section) => {
        const summary = sections[section]?.summary
        return summary ? <GroupHeader summary={summary} items={sections[section]!.items} /> : null
      }}
      renderCell={(index) => {
        const item = items[index]!
        const expanded = index === hovered || index === active
        return (
          <div
            className="tile"
            onClick={(event) => onClick(event, index)}
            onDoubleClick={item.kind === 'image' ? () => gallery().openDetail(item.image.id) : undefined}
            onMouseEnter={hover(index)}
            onMouseLeave={hover(null)}
          >
            {item.kind === 'image' ? (
              <GalleryCard
                image={item.image}
                selected={selection.ids.has(item.image.id)}
                expanded={expanded}
                onOpen={() => gallery().openDetail(item.image.id)}
              />
            ) : (
              <PlaceholderTile placeholder={item.placeholder} active={index === active} />
            )}
          </div>
        )
      }}
    />
  )
}
