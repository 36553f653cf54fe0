import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, Theme, WorkspaceLayout } from '../../../shared/api'

/**
 * How the workspace is laid out: theme, gallery tile size and grouping, the Generate panel's
 * "More options" and whether the queue drawer is open. Choices are remembered per library
 * (workspace.save) except the drawer, which opens for the moment and closes on a reload.
 * A failed save is not worth interrupting a designer for: the choice still applies now.
 */

/** The tile widths the "Tile size" slider steps through, smallest first. */
export const TILE_SIZES = [160, 200, 240, 280, 320, 400, 480] as const
export const DEFAULT_TILE_SIZE = 280

export interface LayoutState extends WorkspaceLayout {
  queueOpen: boolean
  /** True once the remembered layout was read (or reading it failed). */
  hydrated: boolean

  hydrate(layout: Partial<WorkspaceLayout>): void
  setTheme(theme: Theme): void
  setTileSize(size: number): void
  setGalleryGrouped(grouped: boolean): void
  setMoreOptionsOpen(open: boolean): void
  setQueueOpen(open: boolean): void
}

export type LayoutStore = StoreApi<LayoutState>

/** The nearest slider step to a remembered width (the steps may change between versions). */
export function nearestTileSize(size: number): number {
  return TILE_SIZES.reduce((best, s) => (Math.abs(s - size) < Math.abs(best - size) ? s : best), TILE_SIZES[0])
}

export function createLayoutStore(api: ApiClient): LayoutStore {
  const remember = (layout: Partial<WorkspaceLayout>): void => {
    void api.call('workspace.save', { layout }).catch(() => undefined)
  }
  return createStore<LayoutState>()((set) => ({
    theme: 'system',
    tileSize: DEFAULT_TILE_SIZE,
    galleryGrouped: false,
    moreOptionsOpen: false,
    queueOpen: false,
    hydrated: false,

    hydrate: (layout) =>
      set({ ...layout, ...(layout.tileSize !== undefined ? { tileSize: nearestTileSize(layout.tileSize) } : {}), hydrated: true }),
    setTheme(theme) {
      set({ theme })
      remember({ theme })
    },
    setTileSize(size) {
      const tileSize = nearestTileSize(size)
      set({ tileSize })
      remember({ tileSize })
    },
    setGalleryGrouped(galleryGrouped) {
      set({ galleryGrouped })
      remember({ galleryGrouped })
    },
    setMoreOptionsOpen(moreOptionsOpen) {
      set({ moreOptionsOpen })
      remember({ moreOptionsOpen })
    },
    setQueueOpen: (queueOpen) => set({ queueOpen }),
  }))
}
