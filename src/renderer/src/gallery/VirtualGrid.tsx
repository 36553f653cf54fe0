import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { moveByKey } from './grid-keys'
import { DEFAULT_GRID, gridMetrics, revealRow, visibleRows, type GridOptions } from './grid-layout'

/**
 * A windowed ARIA grid: only the rows on screen (and a couple either side) are in the DOM, so a
 * gallery of 100,000 images costs what a screenful costs. Keyboard focus is a roving tabindex on
 * the active cell; that cell is always rendered, even scrolled away, so focus is never lost.
 */

export interface VirtualGridProps {
  count: number
  label: string
  /** Id of the text that explains the grid's keys. */
  describedBy?: string
  activeIndex: number
  /** The keyboard moved the active cell (`extend`: Shift was held). */
  onMove(index: number, extend: boolean): void
  /** Keys other than movement, on the active cell; return true when handled. */
  onKey?(event: KeyboardEvent<HTMLDivElement>, index: number): boolean
  isSelected(index: number): boolean
  renderCell(index: number): ReactNode
  /** Called with the last index in view after each change of the visible rows. */
  onVisibleEnd?(lastIndex: number): void
  options?: GridOptions
}

interface Viewport {
  width: number
  height: number
}

/** jsdom and a hidden panel measure 0: start from a sensible desktop size instead. */
const FALLBACK_VIEWPORT: Viewport = { width: 960, height: 720 }

function measure(el: HTMLElement): Viewport {
  return {
    width: el.clientWidth || FALLBACK_VIEWPORT.width,
    height: el.clientHeight || FALLBACK_VIEWPORT.height,
  }
}

export function VirtualGrid(props: VirtualGridProps): ReactNode {
  const { count, activeIndex, onMove, onKey, onVisibleEnd } = props
  const ref = useRef<HTMLDivElement>(null)
  const [viewport, setViewport] = useState<Viewport>(FALLBACK_VIEWPORT)
  const [scrollTop, setScrollTop] = useState(0)
  const focusAfterRender = useRef(false)
  const m = gridMetrics(viewport.width, count, props.options ?? DEFAULT_GRID)
  const { first, last } = visibleRows(scrollTop, viewport.height, m)

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const update = (): void => setViewport((old) => {
      const next = measure(el)
      return next.width === old.width && next.height === old.height ? old : next
    })
    update()
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', update)
      return () => window.removeEventListener('resize', update)
    }
    const observer = new ResizeObserver(update)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  const lastIndex = Math.min(count - 1, (last + 1) * m.columns - 1)
  useEffect(() => {
    if (lastIndex >= 0) onVisibleEnd?.(lastIndex)
  }, [lastIndex, onVisibleEnd])

  // After a keyboard move: focus the new active cell (it is rendered by now).
  useEffect(() => {
    if (!focusAfterRender.current) return
    focusAfterRender.current = false
    ref.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`)?.focus({ preventScroll: true })
  })

  const onScroll = useCallback(() => {
    const el = ref.current
    if (el) setScrollTop(el.scrollTop)
  }, [])

  const handleKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')
    if (!target || event.altKey) return
    const from = Number(target.dataset.index)
    const pageRows = Math.max(1, Math.floor(viewport.height / m.rowHeight))
    const to = moveByKey(event.key, from, count, m.columns, pageRows, event.ctrlKey || event.metaKey)
    if (to !== null) {
      event.preventDefault()
      const el = ref.current
      if (el) {
        const top = revealRow(to, el.scrollTop, viewport.height, m)
        if (top !== el.scrollTop) {
          el.scrollTop = top
          setScrollTop(top)
        }
      }
      focusAfterRender.current = true
      onMove(to, event.shiftKey)
      return
    }
    if (onKey?.(event, from)) event.preventDefault()
  }

  const rows: number[] = []
  for (let row = first; row <= last; row++) rows.push(row)
  const activeRow = Math.floor(activeIndex / m.columns)
  if (activeIndex < count && (activeRow < first || activeRow > last)) rows.push(activeRow)

  return (
    <div
      ref={ref}
      className="virtual-grid"
      role="grid"
      aria-label={props.label}
      aria-describedby={props.describedBy}
      aria-rowcount={m.rows}
      aria-colcount={m.columns}
      aria-multiselectable="true"
      onScroll={onScroll}
      onKeyDown={handleKey}
    >
      <div className="virtual-grid-space" style={{ height: m.totalHeight }}>
        {rows.map((row) => (
          <div
            key={row}
            role="row"
            aria-rowindex={row + 1}
            className="virtual-grid-row"
            style={{
              top: row * m.rowHeight,
              height: m.rowHeight - (props.options ?? DEFAULT_GRID).gap,
              gridTemplateColumns: `repeat(${m.columns}, ${m.cellWidth}px)`,
            }}
          >
            {cellsOf(row, m.columns, count).map((index) => (
              <div
                key={index}
                role="gridcell"
                className="virtual-grid-cell"
                data-index={index}
                aria-colindex={(index % m.columns) + 1}
                aria-selected={props.isSelected(index)}
                tabIndex={index === activeIndex ? 0 : -1}
              >
                {props.renderCell(index)}
              </div>
            ))}
          </div>
        ))}
      </div>
    </div>
  )
}

function cellsOf(row: number, columns: number, count: number): number[] {
  const out: number[] = []
  for (let i = row * columns; i < Math.min(count, (row + 1) * columns); i++) out.push(i)
  return out
}
