/**
 * The arithmetic of the virtualized gallery grid: how many columns fit, how tall the whole grid
 * is, and which items a viewport shows. Pure, so it is tested without a browser; the grid renders
 * only the items `visibleRange` returns, whatever the number of images.
 */

export interface GridOptions {
  /** The narrowest a cell may be; columns are added while they fit. */
  minCellWidth: number
  /** Space between cells, both ways. */
  gap: number
  /** Height of the caption under each square thumbnail. */
  captionHeight: number
}

export interface GridMetrics {
  columns: number
  cellWidth: number
  /** A row's height including the gap below it. */
  rowHeight: number
  rows: number
  totalHeight: number
}

export const DEFAULT_GRID: GridOptions = { minCellWidth: 168, gap: 12, captionHeight: 30 }

export function gridMetrics(width: number, count: number, o: GridOptions = DEFAULT_GRID): GridMetrics {
  const usable = Math.max(width, o.minCellWidth)
  const columns = Math.max(1, Math.floor((usable + o.gap) / (o.minCellWidth + o.gap)))
  const cellWidth = Math.floor((usable - o.gap * (columns - 1)) / columns)
  const rowHeight = cellWidth + o.captionHeight + o.gap
  const rows = Math.ceil(count / columns)
  return { columns, cellWidth, rowHeight, rows, totalHeight: Math.max(0, rows * rowHeight - o.gap) }
}

/** Rows [first, last] on screen, plus `overscan` rows either side so a scroll never shows a gap. */
export function visibleRows(scrollTop: number, viewportHeight: number, m: GridMetrics, overscan = 2): { first: number; last: number } {
  if (m.rows === 0) return { first: 0, last: -1 }
  const top = Math.max(0, scrollTop)
  const first = Math.max(0, Math.floor(top / m.rowHeight) - overscan)
  const last = Math.min(m.rows - 1, Math.floor((top + Math.max(viewportHeight, 1)) / m.rowHeight) + overscan)
  return { first, last }
}

/** The scrollTop that brings `index`'s row fully into view, moving as little as possible. */
export function revealRow(index: number, scrollTop: number, viewportHeight: number, m: GridMetrics): number {
  const row = Math.floor(index / m.columns)
  const top = row * m.rowHeight
  const bottom = top + m.rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight)
  return scrollTop
}
