/**
 * The arithmetic of the virtualized gallery grid: how many columns a tile size gives, the list of
 * rows (a group's header row, then its rows of tiles), how tall the whole grid is, and which rows
 * a viewport shows. Pure, so it is tested without a browser; the grid renders only the rows
 * `visibleRows` returns, whatever the number of images.
 */

export interface GridOptions {
  /** Space between tiles, both ways. */
  gap: number
  /** A group header row's height, the space below it included. */
  headerHeight: number
  /** Room above the first row and below the last, inside the scroller. */
  padTop: number
  padBottom: number
}

export const DEFAULT_GRID: GridOptions = { gap: 12, headerHeight: 44, padTop: 12, padBottom: 24 }

export interface GridColumns {
  columns: number
  /** Tiles are square: this is also their height. */
  cellWidth: number
}

/** How far past the wished size a tile may stretch to close a row. */
export const MAX_STRETCH = 1.12

/** A run of items, with a header row above it when `header` is set (a group), or without (flat). */
export interface GridSection {
  header: boolean
  count: number
}

export type GridRow =
  | { kind: 'header'; section: number; top: number; height: number }
  /** Items [start, end) of the whole list. */
  | { kind: 'cells'; section: number; start: number; end: number; top: number; height: number }

export interface GridLayout extends GridColumns {
  rows: GridRow[]
  /** Items in all sections. */
  count: number
  totalHeight: number
  gap: number
}

/**
 * Columns for a wished tile width: as many as fit at that width, stretched by up to 12% to close
 * the row; any rest stays at the right, so the tiles line up with the toolbar and the group
 * headers above them. Tiles are thus never smaller than asked (unless the window is), and each
 * step of the slider (12.5% or more apart) gives tiles of a width of its own.
 */
export function gridMetrics(width: number, tileSize: number, gap = DEFAULT_GRID.gap): GridColumns {
  const usable = Math.max(1, width)
  const columns = Math.max(1, Math.floor((usable + gap) / (tileSize + gap)))
  const stretched = Math.floor((usable - gap * (columns - 1)) / columns)
  const cellWidth = Math.max(1, Math.min(stretched, Math.floor(tileSize * MAX_STRETCH)))
  return { columns, cellWidth }
}

export function gridLayout(width: number, tileSize: number, sections: readonly GridSection[], o: GridOptions = DEFAULT_GRID): GridLayout {
  const { columns, cellWidth } = gridMetrics(width, tileSize, o.gap)
  const rowHeight = cellWidth + o.gap
  const rows: GridRow[] = []
  let top = o.padTop
  let start = 0
  sections.forEach((section, index) => {
    if (section.count <= 0) return
    if (section.header) {
      rows.push({ kind: 'header', section: index, top, height: o.headerHeight })
      top += o.headerHeight
    }
    const end = start + section.count
    for (let s = start; s < end; s += columns) {
      rows.push({ kind: 'cells', section: index, start: s, end: Math.min(end, s + columns), top, height: rowHeight })
      top += rowHeight
    }
    start = end
  })
  // The last row needs no gap below it.
  const totalHeight = rows.length > 0 ? top - (rows.at(-1)!.kind === 'cells' ? o.gap : 0) + o.padBottom : 0
  return { columns, cellWidth, rows, count: start, totalHeight, gap: o.gap }
}

/** The last row whose top is at or above `y` (rows are sorted by top). */
function rowAt(layout: GridLayout, y: number): number {
  const { rows } = layout
  let lo = 0
  let hi = rows.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (rows[mid]!.top <= y) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Rows [first, last] on screen, plus `overscan` rows either side so a scroll never shows a gap. */
export function visibleRows(scrollTop: number, viewportHeight: number, layout: GridLayout, overscan = 1): { first: number; last: number } {
  if (layout.rows.length === 0) return { first: 0, last: -1 }
  const top = Math.max(0, scrollTop)
  const first = Math.max(0, rowAt(layout, top) - overscan)
  const last = Math.min(layout.rows.length - 1, rowAt(layout, top + Math.max(viewportHeight, 1) - 1) + overscan)
  return { first, last }
}

/** The row of tiles that holds item `index` (-1 when there is no such item). */
export function rowOfItem(layout: GridLayout, index: number): number {
  if (index < 0 || index >= layout.count) return -1
  const { rows } = layout
  let lo = 0
  let hi = rows.length - 1
  // The last row starting at or before index. A header starts where the row below it starts,
  // so the cells row (which comes after it) is the one found.
  const startOf = (r: number): number => {
    const row = rows[r]!
    return row.kind === 'cells' ? row.start : startOf(r + 1)
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (startOf(mid) <= index) lo = mid
    else hi = mid - 1
  }
  return rows[lo]?.kind === 'cells' ? lo : -1
}

/**
 * The scrollTop that brings item `index`'s row fully into view, moving as little as possible; a
 * group's first row brings its header along.
 */
export function revealItem(index: number, scrollTop: number, viewportHeight: number, layout: GridLayout): number {
  const r = rowOfItem(layout, index)
  if (r < 0) return scrollTop
  const row = layout.rows[r]!
  const above = layout.rows[r - 1]
  // The first row scrolls to the very top, padding and all.
  const top = r <= 1 ? 0 : above?.kind === 'header' ? above.top : row.top
  const bottom = row.top + row.height - layout.gap
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight)
  return scrollTop
}

/** The next row of tiles from row `r` going `step` (±1), skipping headers; -1 past the end. */
export function nextCellsRow(layout: GridLayout, r: number, step: 1 | -1): number {
  for (let i = r + step; i >= 0 && i < layout.rows.length; i += step) if (layout.rows[i]!.kind === 'cells') return i
  return -1
}
