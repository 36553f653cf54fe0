import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { VirtualGrid } from '../../src/renderer/src/gallery/VirtualGrid'
import { moveByKey } from '../../src/renderer/src/gallery/grid-keys'
import { gridMetrics, revealRow, visibleRows } from '../../src/renderer/src/gallery/grid-layout'

afterEach(cleanup)

const HUNDRED_THOUSAND = 100_000

/** The grid with plain numbered cells; jsdom has no layout, so it uses its 960 x 720 fallback. */
function Grid({ count, onEnd }: { count: number; onEnd?: (last: number) => void }): ReactNode {
  const [active, setActive] = useState(0)
  return (
    <VirtualGrid
      count={count}
      label="Images"
      activeIndex={active}
      onMove={(index) => setActive(index)}
      isSelected={(index) => index % 2 === 0}
      renderCell={(index) => <span>item {index}</span>}
      {...(onEnd ? { onVisibleEnd: onEnd } : {})}
    />
  )
}

const renderedIndexes = (): number[] =>
  screen.getAllByRole('gridcell').map((cell) => Number(cell.getAttribute('data-index')))

describe('grid layout', () => {
  it('fits as many columns as the width allows and sizes the whole grid', () => {
    const m = gridMetrics(960, HUNDRED_THOUSAND, { minCellWidth: 168, gap: 12, captionHeight: 30 })
    expect(m).toMatchObject({ columns: 5, cellWidth: 182, rowHeight: 224, rows: 20_000 })
    expect(m.totalHeight).toBe(20_000 * 224 - 12)
    expect(gridMetrics(100, 3).columns).toBe(1)
  })

  it('shows the rows in the viewport plus an overscan, and reveals a row with the least scrolling', () => {
    const m = gridMetrics(960, HUNDRED_THOUSAND)
    expect(visibleRows(0, 720, m)).toEqual({ first: 0, last: 5 })
    expect(visibleRows(224 * 1000 + 10, 720, m)).toEqual({ first: 998, last: 1005 })
    expect(visibleRows(0, 720, gridMetrics(960, 0))).toEqual({ first: 0, last: -1 })
    // Already in view: no scroll. Above: its top. Below: its bottom at the viewport's bottom.
    expect(revealRow(7, 0, 720, m)).toBe(0)
    expect(revealRow(0, 500, 720, m)).toBe(0)
    expect(revealRow(5 * 10, 0, 720, m)).toBe(11 * 224 - 720)
  })

  it('moves by arrows, rows, pages and Home/End, and stays inside the list', () => {
    expect(moveByKey('ArrowRight', 4, 12, 5, 3)).toBe(5)
    expect(moveByKey('ArrowLeft', 0, 12, 5, 3)).toBe(0)
    expect(moveByKey('ArrowDown', 8, 12, 5, 3)).toBe(11)
    expect(moveByKey('ArrowUp', 3, 12, 5, 3)).toBe(3)
    expect(moveByKey('ArrowUp', 8, 12, 5, 3)).toBe(3)
    expect(moveByKey('Home', 8, 12, 5, 3)).toBe(5)
    expect(moveByKey('End', 5, 12, 5, 3)).toBe(9)
    expect(moveByKey('End', 0, 12, 5, 3, true)).toBe(11)
    expect(moveByKey('PageDown', 0, 100, 5, 3)).toBe(15)
    expect(moveByKey('PageUp', 12, 100, 5, 3)).toBe(0)
    expect(moveByKey('Enter', 0, 12, 5, 3)).toBeNull()
    expect(moveByKey('ArrowRight', 0, 0, 5, 3)).toBeNull()
  })
})

describe('VirtualGrid with 100,000 items', () => {
  it('puts only the visible rows in the DOM and describes the full size to assistive tech', () => {
    render(<Grid count={HUNDRED_THOUSAND} />)
    const grid = screen.getByRole('grid', { name: 'Images' })
    expect(grid.getAttribute('aria-rowcount')).toBe('20000')
    expect(grid.getAttribute('aria-colcount')).toBe('5')
    expect(renderedIndexes()).toEqual(Array.from({ length: 30 }, (_, i) => i))
    expect(grid.querySelectorAll('[role="gridcell"]').length).toBe(30)
    expect(screen.getAllByRole('row').map((row) => row.getAttribute('aria-rowindex'))).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(screen.getByText('item 0').closest('[role="gridcell"]')?.getAttribute('aria-selected')).toBe('true')
    expect(screen.getByText('item 1').closest('[role="gridcell"]')?.getAttribute('aria-selected')).toBe('false')
  })

  it('swaps the rendered rows as it scrolls, keeping the DOM the same small size', () => {
    const ends: number[] = []
    render(<Grid count={HUNDRED_THOUSAND} onEnd={(last) => ends.push(last)} />)
    const grid = screen.getByRole('grid', { name: 'Images' })
    grid.scrollTop = 224 * 10_000
    fireEvent.scroll(grid)
    const shown = renderedIndexes()
    // Rows 9,998 to 10,005 (two rows of overscan each side), plus the active cell's row, kept for focus.
    const away = shown.filter((i) => i >= 5)
    expect(shown.filter((i) => i < 5)).toEqual([0, 1, 2, 3, 4])
    expect(Math.min(...away)).toBe(9_998 * 5)
    expect(Math.max(...shown)).toBe(10_006 * 5 - 1)
    expect(shown.length).toBeLessThanOrEqual(45)
    expect(screen.queryByText('item 30')).toBeNull()

    grid.scrollTop = 224 * 20_000
    fireEvent.scroll(grid)
    expect(Math.max(...renderedIndexes())).toBe(HUNDRED_THOUSAND - 1)
    expect(ends.at(-1)).toBe(HUNDRED_THOUSAND - 1)
  })

  it('moves focus with the arrow keys, scrolling the active cell into view', () => {
    render(<Grid count={HUNDRED_THOUSAND} />)
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
    expect(grid.scrollTop).toBe(20_000 * 224 - 720)
    expect(renderedIndexes().length).toBeLessThanOrEqual(45)
  })
})
