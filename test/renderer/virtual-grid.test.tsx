import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { VirtualGrid } from '../../src/renderer/src/gallery/VirtualGrid'
import { moveByKey } from '../../src/renderer/src/gallery/grid-keys'
import { gridLayout, gridMetrics, revealItem, rowOfItem, visibleRows, type GridSection } from '../../src/renderer/src/gallery/grid-layout'

afterEach(cleanup)

const HUNDRED_THOUSAND = 100_000
const FLAT = [{ header: false, count: HUNDRED_THOUSAND }]
const O = { gap: 12, headerHeight: 40, padTop: 0, padBottom: 0 }

/** The grid with plain numbered cells; jsdom has no layout, so it uses its 960 x 720 fallback. */
function Grid({ sections, onEnd }: { sections: GridSection[]; onEnd?: (last: number) => void }): ReactNode {
  const [active, setActive] = useState(0)
  return (
    <VirtualGrid
      sections={sections}
      tileSize={180}
      label="Images"
      activeIndex={active}
      onMove={(index) => setActive(index)}
      isSelected={(index) => index % 2 === 0}
      renderCell={(index) => <span>item {index}</span>}
      renderHeader={(section) => <span>group {section}</span>}
      options={O}
      {...(onEnd ? { onVisibleEnd: onEnd } : {})}
    />
  )
}

const renderedIndexes = (): number[] => screen.getAllByRole('gridcell').map((cell) => Number(cell.getAttribute('data-index')))

describe('grid layout', () => {
  it('takes the tile size as the narrowest a tile may be, stretching a little to close the row', () => {
    // 960 px at 180: five columns of 182. At 280: three of 312. At 480 one fits, stretched by
    // 12% at most and centred.
    expect(gridMetrics(960, 180, 12)).toEqual({ columns: 5, cellWidth: 182 })
    expect(gridMetrics(960, 280, 12)).toEqual({ columns: 3, cellWidth: 312 })
    expect(gridMetrics(960, 480, 12)).toEqual({ columns: 1, cellWidth: 537 })
    // Every step of the slider changes the tiles at a 1440x900 window with the side panel (~1030 px).
    const widths = [160, 200, 240, 280, 320, 400, 480].map((t) => gridMetrics(1030, t, 12).cellWidth)
    expect(new Set(widths).size).toBe(widths.length)
    // The default (280) stays at least 240 px wide there.
    expect(gridMetrics(1030, 280, 12).cellWidth).toBeGreaterThanOrEqual(240)
    // Nothing reaches past the grid's edge, whatever the width.
    for (let width = 150; width < 2000; width += 37) {
      for (const tile of [160, 280, 480]) {
        const { columns, cellWidth } = gridMetrics(width, tile, 12)
        expect(columns * cellWidth + (columns - 1) * 12).toBeLessThanOrEqual(Math.max(width, cellWidth))
        if (width >= tile) expect(cellWidth).toBeGreaterThanOrEqual(tile)
      }
    }
    expect(gridMetrics(100, 280).columns).toBe(1)
  })

  it('lays square tiles out in rows and sizes the whole grid', () => {
    const m = gridLayout(960, 180, FLAT, O)
    expect(m).toMatchObject({ columns: 5, cellWidth: 182, count: HUNDRED_THOUSAND })
    expect(m.rows).toHaveLength(20_000)
    expect(m.rows[1]).toEqual({ kind: 'cells', section: 0, start: 5, end: 10, top: 194, height: 194 })
    expect(m.totalHeight).toBe(20_000 * 194 - 12)
    expect(gridLayout(960, 180, [], O)).toMatchObject({ rows: [], count: 0, totalHeight: 0 })
  })

  it('puts a header row above each group, each group starting a new row', () => {
    const m = gridLayout(960, 180, [{ header: true, count: 7 }, { header: true, count: 2 }, { header: true, count: 0 }, { header: true, count: 5 }], O)
    expect(m.rows.map((r) => (r.kind === 'header' ? `h${r.section}` : `${r.start}-${r.end}`))).toEqual(['h0', '0-5', '5-7', 'h1', '7-9', 'h3', '9-14'])
    expect(m.rows.map((r) => r.top)).toEqual([0, 40, 234, 428, 468, 662, 702])
    expect(m.totalHeight).toBe(702 + 194 - 12)
    expect(m.count).toBe(14)
    expect([0, 4, 5, 6, 7, 8, 9, 13].map((i) => rowOfItem(m, i))).toEqual([1, 1, 2, 2, 4, 4, 6, 6])
    expect(rowOfItem(m, 14)).toBe(-1)
    // A group's first row scrolls into view with its header.
    expect(revealItem(7, 0, 300, m)).toBe(468 + 182 - 300)
    expect(revealItem(7, 600, 300, m)).toBe(428)
    expect(visibleRows(430, 100, m, 0)).toEqual({ first: 3, last: 4 })
  })

  it('shows the rows in the viewport plus an overscan, and reveals a row with the least scrolling', () => {
    const m = gridLayout(960, 180, FLAT, O)
    expect(visibleRows(0, 720, m)).toEqual({ first: 0, last: 4 })
    expect(visibleRows(194 * 1000 + 10, 720, m)).toEqual({ first: 999, last: 1004 })
    expect(visibleRows(0, 720, gridLayout(960, 180, [], O))).toEqual({ first: 0, last: -1 })
    // Already in view: no scroll. Above: its top. Below: its bottom at the viewport's bottom.
    expect(revealItem(7, 0, 720, m)).toBe(0)
    expect(revealItem(0, 500, 720, m)).toBe(0)
    expect(revealItem(5 * 10, 0, 720, m)).toBe(10 * 194 + 182 - 720)
  })

  it('moves by arrows, rows, pages and Home/End, and stays inside the list', () => {
    const m = gridLayout(960, 180, [{ header: false, count: 12 }], O)
    expect(moveByKey('ArrowRight', 4, m, 3)).toBe(5)
    expect(moveByKey('ArrowLeft', 0, m, 3)).toBe(0)
    expect(moveByKey('ArrowDown', 8, m, 3)).toBe(11)
    expect(moveByKey('ArrowDown', 11, m, 3)).toBe(11)
    expect(moveByKey('ArrowUp', 3, m, 3)).toBe(3)
    expect(moveByKey('ArrowUp', 8, m, 3)).toBe(3)
    expect(moveByKey('Home', 8, m, 3)).toBe(5)
    expect(moveByKey('End', 5, m, 3)).toBe(9)
    expect(moveByKey('End', 0, m, 3, true)).toBe(11)
    const big = gridLayout(960, 180, [{ header: false, count: 100 }], O)
    expect(moveByKey('PageDown', 0, big, 3)).toBe(15)
    expect(moveByKey('PageDown', 90, big, 3)).toBe(99)
    expect(moveByKey('PageUp', 12, big, 3)).toBe(0)
    expect(moveByKey('Enter', 0, m, 3)).toBeNull()
    expect(moveByKey('ArrowRight', 0, gridLayout(960, 180, [], O), 3)).toBeNull()
  })

  it('moves across group headers, keeping the column where the next row has one', () => {
    // Groups of 7, 2 and 5 at five columns: rows 0-4, 5-6 | 7-8 | 9-13.
    const m = gridLayout(960, 180, [{ header: true, count: 7 }, { header: true, count: 2 }, { header: true, count: 5 }], O)
    expect(moveByKey('ArrowDown', 1, m, 3)).toBe(6)
    expect(moveByKey('ArrowDown', 4, m, 3)).toBe(6) // row 5-6 is short: its last tile
    expect(moveByKey('ArrowDown', 6, m, 3)).toBe(8) // over the header to the next group
    expect(moveByKey('ArrowDown', 7, m, 3)).toBe(9)
    expect(moveByKey('ArrowUp', 12, m, 3)).toBe(8)
    expect(moveByKey('ArrowUp', 8, m, 3)).toBe(6)
    expect(moveByKey('ArrowRight', 6, m, 3)).toBe(7) // reading order runs on into the next group
    expect(moveByKey('Home', 8, m, 3)).toBe(7)
    expect(moveByKey('End', 9, m, 3)).toBe(13)
    expect(moveByKey('PageDown', 0, m, 2)).toBe(7)
  })
})

describe('VirtualGrid with 100,000 items', () => {
  it('puts only the visible rows in the DOM and describes the full size to assistive tech', () => {
    render(<Grid sections={FLAT} />)
    const grid = screen.getByRole('grid', { name: 'Images' })
    expect(grid.getAttribute('aria-rowcount')).toBe('20000')
    expect(grid.getAttribute('aria-colcount')).toBe('5')
    expect(renderedIndexes()).toEqual(Array.from({ length: 25 }, (_, i) => i))
    expect(screen.getAllByRole('row').map((row) => row.getAttribute('aria-rowindex'))).toEqual(['1', '2', '3', '4', '5'])
    expect(screen.getByText('item 0').closest('[role="gridcell"]')?.getAttribute('aria-selected')).toBe('true')
    expect(screen.getByText('item 1').closest('[role="gridcell"]')?.getAttribute('aria-selected')).toBe('false')
  })

  it('swaps the rendered rows as it scrolls, keeping the DOM the same small size', () => {
    const ends: number[] = []
    render(<Grid sections={FLAT} onEnd={(last) => ends.push(last)} />)
    const grid = screen.getByRole('grid', { name: 'Images' })
    grid.scrollTop = 194 * 10_000
    fireEvent.scroll(grid)
    const shown = renderedIndexes()
    // Rows 9,999 to 10,004 (one row of overscan each side), plus the active cell's row, kept for focus.
    const away = shown.filter((i) => i >= 5)
    expect(shown.filter((i) => i < 5)).toEqual([0, 1, 2, 3, 4])
    expect(Math.min(...away)).toBe(9_999 * 5)
    expect(Math.max(...shown)).toBe(10_005 * 5 - 1)
    expect(shown.length).toBeLessThanOrEqual(40)
    expect(screen.queryByText('item 30')).toBeNull()

    grid.scrollTop = 194 * 20_000
    fireEvent.scroll(grid)
    expect(Math.max(...renderedIndexes())).toBe(HUNDRED_THOUSAND - 1)
    expect(ends.at(-1)).toBe(HUNDRED_THOUSAND - 1)
  })

  it('moves focus with the arrow keys, scrolling the active cell into view', () => {
    render(<Grid sections={FLAT} />)
    const grid = screen.getByRole('grid', { name: 'Images' })
    const first = screen.getByText('item 0').closest<HTMLElement>('[role="gridcell"]')!
    expect(first.tabIndex).toBe(0)
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowRight' })
    expect(document.activeElement?.textContent).toBe('item 1')
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toBe('item 6')
    expect(first.tabIndex).toBe(-1)
    fireEvent.keyDown(document.activeElement!, { key: 'End', ctrlKey: true })
    expect(document.activeElement?.textContent).toBe(`item ${HUNDRED_THOUSAND - 1}`)
    expect(grid.scrollTop).toBe(20_000 * 194 - 12 - 720)
    expect(renderedIndexes().length).toBeLessThanOrEqual(40)
  })

  it('renders group headers as rows of their own, and the keys step over them', () => {
    render(<Grid sections={[{ header: true, count: 3 }, { header: true, count: 4 }]} />)
    const headers = screen.getAllByRole('rowheader')
    expect(headers.map((h) => h.textContent)).toEqual(['group 0', 'group 1'])
    expect(headers[0]!.getAttribute('aria-colspan')).toBe('5')
    expect(screen.getAllByRole('row').map((row) => row.getAttribute('aria-rowindex'))).toEqual(['1', '2', '3', '4'])
    const first = screen.getByText('item 0').closest<HTMLElement>('[role="gridcell"]')!
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toBe('item 3')
    fireEvent.keyDown(document.activeElement!, { key: 'End' })
    expect(document.activeElement?.textContent).toBe('item 6')
    expect(document.activeElement?.getAttribute('aria-colindex')).toBe('4')
  })
})
