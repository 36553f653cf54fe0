import { useMemo } from 'react'
import { useGallery, useLayout, useQueue } from '../app/stores-context'
import { arrangeGallery, flatItems, type GalleryItem, type GallerySection } from './gallery-items'
import type { GridSection } from './grid-layout'
import { derivePlaceholders } from './placeholders'

export interface GalleryView {
  sections: GallerySection[]
  items: GalleryItem[]
  /** The grid's rows: a header per group when grouped. */
  gridSections: GridSection[]
  /** Ids of the images in display order, and where each sits in it (selection ranges follow the page). */
  imageOrder: string[]
  orderOf: ReadonlyMap<string, number>
  placeholders: number
}

/** What the gallery grid shows: the queue's placeholders and the loaded images, flat or grouped. */
export function useGalleryView(): GalleryView {
  const images = useGallery((s) => s.images)
  const filters = useGallery((s) => s.filters)
  const watch = useGallery((s) => s.jobWatch)
  const jobs = useQueue((s) => s.jobs)
  const queuePaused = useQueue((s) => s.queue?.paused ?? false)
  const grouped = useLayout((s) => s.galleryGrouped)

  const loaded = useMemo(() => new Set(images.map((image) => image.id)), [images])
  const placeholders = useMemo(
    () => derivePlaceholders(jobs, { watch, loaded, filters, queuePaused }),
    [jobs, watch, loaded, filters, queuePaused],
  )
  return useMemo(() => {
    const sections = arrangeGallery(images, placeholders, grouped)
    const items = flatItems(sections)
    const imageOrder = items.flatMap((item) => (item.kind === 'image' ? [item.image.id] : []))
    return {
      sections,
      items,
      gridSections: sections.map((s) => ({ header: s.summary !== null, count: s.items.length })),
      imageOrder,
      orderOf: new Map(imageOrder.map((id, i) => [id, i])),
      placeholders: placeholders.length,
    }
  }, [images, placeholders, grouped])
}
