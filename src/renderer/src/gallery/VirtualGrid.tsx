import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { moveByKey } from './grid-keys'
import { DEFAULT_GRID, gridLayout, revealItem, rowOfItem, visibleRows, type GridOptions, type GridSection } from './grid-layout'

/**
 * A windowed ARIA grid: only the rows on screen (and one either side) are in the DOM, so a
 * gallery of 100,000 images costs what a screenful costs. Rows are tiles or a group's header.
 * Keyboard focus is a roving tabindex on the active cell; that cell is always rendered, even
 * scrolled away, so focus is never lost. The grid is its own (and the page's only) scroller: its
 * parent gives it a height.
 */

export interface VirtualGridProps {
  /** Runs of items, each under its own header row when `header` is set. */
  sections: readonly GridSection[]
  /** The tile width wished for; the columns share the width out around it. */
  tileSize: number
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
  renderHeader?(section: number): ReactNode
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

/** Width from the inner space (the scroller's side margins and scrollbar left out), height from the scroller. */
function measure(scroller: HTMLElement, space: HTMLElement): Viewport {
  return {
    width: space.clientWidth || FALLBACK_VIEWPORT.width,
    height: scroller.clientHeight || FALLBACK_VIEWPORT.height,
  }
}

export function VirtualGrid(props: VirtualGridProps): ReactNode {
  const { sections, tileSize, activeIndex, onMove, onKey, onVisibleEnd } = props
  const options = props.options ?? DEFAULT_GRID
  const ref = useRef<HTMLDivElement>(null)
  const spaceRef = useRef<HTMLDivElement>(null)
  const [viewport, setViewport] = useState<Viewport>(FALLBACK_VIEWPORT)
  const [scrollTop, setScrollTop] = useState(0)
  const focusAfterRender = useRef(false)
  const layout = useMemo(() => gridLayout(viewport.width, tileSize, sections, options), [viewport.width, tileSize, sections, options])
  const { first, last } = visibleRows(scrollTop, viewport.height, layout)

  useLayoutEffect(() => {
    const el = ref.current
    const space = spaceRef.current
    if (!el || !space) return
    const update = (): void => setViewport((old) => {
      const next = measure(el, space)
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

  let lastIndex = -1
  for (let r = Math.min(last, layout.rows.length - 1); r >= first && lastIndex < 0; r--) {
    const row = layout.rows[r]!
    if (row.kind === 'cells') lastIndex = row.end - 1
  }
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
    // Keys typed into a control inside a tile (a button) are that control's.
    if (event.target !== target && (event.key === 'Enter' || event.key === ' ')) return
    const from = Number(target.dataset.index)
    const pageRows = Math.max(1, Math.floor(viewport.height / (layout.cellWidth + layout.gap)))
    const to = moveByKey(event.key, from, layout, pageRows, event.ctrlKey || event.metaKey)
    if (to !== null) {
      event.preventDefault()
      const el = ref.current
      if (el) {
        const top = revealItem(to, el.scrollTop, viewport.height, layout)
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

  const shown: number[] = []
  for (let r = first; r <= last; r++) shown.push(r)
  const activeRow = rowOfItem(layout, activeIndex)
  if (activeRow >= 0 && (activeRow < first || activeRow > last)) shown.push(activeRow)

  return (
    <div
      ref={ref}
      className="virtual-grid"
      role="grid"
      aria-label={props.label}
      aria-describedby={props.describedBy}
      aria-rowcount={layout.rows.length}
      aria-colcount={layout.columns}
      aria-multiselectable="true"
      onScroll={onScroll}
      onKeyDown={handleKey}
    >
      <div ref={spaceRef} className="virtual-grid-space" style={{ height: layout.totalHeight }}>
        {shown.map((r) => {
          const row = layout.rows[r]!
          if (row.kind === 'header') {
            return (
              <div
                key={`h${row.section}`}
                role="row"
                aria-rowindex={r + 1}
                className="virtual-grid-header"
                style={{ top: row.top, height: row.height }}
              >
                <div role="rowheader" aria-colspan={layout.columns} className="virtual-grid-header-cell">
                  {props.renderHeader?.(row.section)}
                </div>
              </div>
            )
          }
          const cells: ReactNode[] = []
          for (let index = row.start; index < row.end; index++) {
            cells.push(
              <div
                key={index}
                role="gridcell"
                className="virtual-grid-cell"
                data-index={index}
                aria-colindex={index - row.start + 1}
                aria-selected={props.isSelected(index)}
                tabIndex={index === activeIndex ? 0 : -1}
              >
                {props.renderCell(index)}
              </div>,
            )
          }
          return (
            <div
              key={`r${row.start}`}
              role="row"
              aria-rowindex={r + 1}
              className="virtual-grid-row"
              style={{
                top: row.top,
                height: row.height - layout.gap,
                gridTemplateColumns: `repeat(${layout.columns}, ${layout.cellWidth}px)`,
              }}
            >
              {cells}
            </div>
          )
        })}
      </div>
    </div>
  )
}
