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
  // Choices made in this page before the remembered layout arrived win over it: a click on
  // "More options" in the first moment must not be undone by a slow reply.
  const chosen = new Set<keyof WorkspaceLayout>()
  const choose = <K extends keyof WorkspaceLayout>(field: K, value: WorkspaceLayout[K]): Partial<WorkspaceLayout> => {
    chosen.add(field)
    const change = { [field]: value } as Partial<WorkspaceLayout>
    void api.call('workspace.save', { layout: change }).catch(() => undefined)
    return change
  }
  return createStore<LayoutState>()((set) => ({
    theme: 'system',
    tileSize: DEFAULT_TILE_SIZE,
    galleryGrouped: false,
    moreOptionsOpen: false,
    queueOpen: false,
    hydrated: false,

    hydrate(layout) {
      const remembered = Object.fromEntries(Object.entries(layout).filter(([field]) => !chosen.has(field as keyof WorkspaceLayout))) as Partial<WorkspaceLayout>
      if (remembered.tileSize !== undefined) remembered.tileSize = nearestTileSize(remembered.tileSize)
      set({ ...remembered, hydrated: true })
    },
    setTheme: (theme) => set(choose('theme', theme)),
    setTileSize: (size) => set(choose('tileSize', nearestTileSize(size))),
    setGalleryGrouped: (grouped) => set(choose('galleryGrouped', grouped)),
    setMoreOptionsOpen: (open) => set(choose('moreOptionsOpen', open)),
    setQueueOpen: (queueOpen) => set({ queueOpen }),
  }))
}
