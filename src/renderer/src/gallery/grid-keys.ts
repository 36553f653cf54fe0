import { nextCellsRow, rowOfItem, type GridLayout } from './grid-layout'

/**
 * Where the arrow keys, Home/End and Page Up/Down take the active cell of the gallery grid, over
 * rows of tiles that group headers may split: Up and Down keep the column where the next row has
 * one, Home and End keep to the row. Returns null for any other key, so the caller can handle its
 * own (Enter, Space, F, Delete).
 */
export function moveByKey(key: string, active: number, layout: GridLayout, pageRows: number, ctrl = false): number | null {
  const count = layout.count
  if (count === 0) return null
  const last = count - 1
  const from = Math.min(last, Math.max(0, active))
  const r = rowOfItem(layout, from)
  const row = layout.rows[r]
  if (!row || row.kind !== 'cells') return null
  const column = from - row.start

  /** `rows` rows of tiles down (or up), same column as far as that row reaches; past the end: `beyond`. */
  const verticalMove = (rows: number, step: 1 | -1, beyond: number): number => {
    let target = r
    for (let i = 0; i < rows; i++) {
      target = nextCellsRow(layout, target, step)
      if (target < 0) return beyond
    }
    const to = layout.rows[target]
    return to?.kind === 'cells' ? Math.min(to.end - 1, to.start + column) : from
  }

  switch (key) {
    case 'ArrowRight':
      return Math.min(last, from + 1)
    case 'ArrowLeft':
      return Math.max(0, from - 1)
    case 'ArrowDown':
      // From the last row, Down goes to the last image rather than nowhere.
      return verticalMove(1, 1, last)
    case 'ArrowUp':
      return verticalMove(1, -1, from)
    case 'Home':
      return ctrl ? 0 : row.start
    case 'End':
      return ctrl ? last : row.end - 1
    case 'PageDown':
      return verticalMove(Math.max(1, pageRows), 1, last)
    case 'PageUp':
      return verticalMove(Math.max(1, pageRows), -1, 0)
    default:
      return null
  }
}
