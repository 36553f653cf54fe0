import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { batchTitle } from '../../../shared/queue/batch-summary'
import { BatchHeader, batchIds } from './BatchHeader'
import { JobRow, type QueueItemNav } from './JobRow'
import type { QueueRow } from './queue-rows'
import { chunksOf, revealTop, rowOffsets, visibleRange } from './row-layout'

/**
 * The Queue's list, windowed: only the rows in view (and a few either side) are in the page, so
 * 500 jobs cost what a screenful costs. Rows are measured once drawn (errors and held notes make
 * them taller) and estimated before. The markup stays nested as a person reads it: a batch is an
 * item holding its header and a list of its jobs. One item is in the tab order (it is always
 * drawn, even scrolled away); arrows, Page Up/Down, Home and End move between items.
 */

const ESTIMATED_HEIGHT: Readonly<Record<QueueRow['kind'], number>> = { header: 96, job: 80 }
const OVERSCAN_PX = 240
/** jsdom and a hidden drawer measure 0: assume a drawer's worth of rows instead. */
const FALLBACK_VIEWPORT = 640
/** Rows left below the window when the next older page is asked for. */
const LOAD_AHEAD_ROWS = 8

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp'])

export interface QueueListProps {
  rows: readonly QueueRow[]
  /** Top-level items (jobs and groups) loaded, for aria-setsize. */
  entries: number
  now: number
  hasMore: boolean
  loadingMore: boolean
  onLoadMore(): void
  onToggle(batchId: string): void
}

export function QueueList({ rows, entries, now, hasMore, loadingMore, onLoadMore, onToggle }: QueueListProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null)
  const heights = useRef(new Map<string, number>())
  const [measured, setMeasured] = useState(0)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT)
  const [activeKey, setActiveKey] = useState<string | null>(null)
  const focusAfterRender = useRef(false)

  const offsets = useMemo(
    () => rowOffsets(rows.map((row) => heights.current.get(row.key) ?? ESTIMATED_HEIGHT[row.kind])),
    // `measured` changes whenever a row's measured height does.
    [rows, measured],
  )
  const indexOf = useMemo(() => new Map(rows.map((row, index) => [row.key, index])), [rows])
  const headers = useMemo(() => {
    const byBatch = new Map<string, Extract<QueueRow, { kind: 'header' }>>()
    for (const row of rows) if (row.kind === 'header') byBatch.set(row.batchId, row)
    return byBatch
  }, [rows])

  // What the rows' measurements need in the observer's callback, kept current without re-observing.
  const latest = useRef({ offsets, indexOf })
  latest.current = { offsets, indexOf }

  const observer = useRef<ResizeObserver | null>(null)
  const observed = useRef(new Map<Element, string>())
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const rowsObserver = new ResizeObserver((entries) => {
      let changed = false
      let shiftAbove = 0
      const top = el.scrollTop
      for (const entry of entries) {
        const key = observed.current.get(entry.target)
        if (key === undefined) continue
        const height = entry.borderBoxSize?.[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight
        const before = heights.current.get(key) ?? ESTIMATED_HEIGHT[entry.target.tagName === 'LI' ? 'job' : 'header']
        if (Math.abs(height - before) < 0.5) continue
        heights.current.set(key, height)
        changed = true
        // A row above the window grew or shrank: move by as much, so what is on screen stays put.
        const index = latest.current.indexOf.get(key)
        if (index !== undefined && (latest.current.offsets[index + 1] ?? 0) <= top) shiftAbove += height - before
      }
      if (shiftAbove !== 0) el.scrollTop = top + shiftAbove
      if (changed) setMeasured((n) => n + 1)
    })
    observer.current = rowsObserver
    for (const target of observed.current.keys()) rowsObserver.observe(target)
    const viewportObserver = new ResizeObserver(() => setViewport(el.clientHeight || FALLBACK_VIEWPORT))
    viewportObserver.observe(el)
    return () => {
      rowsObserver.disconnect()
      viewportObserver.disconnect()
      observer.current = null
    }
  }, [])

  // One ref callback per row key, so React does not detach and re-attach it on every render.
  const refs = useRef(new Map<string, (element: HTMLElement | null) => void>())
  const measureRef = (key: string): ((element: HTMLElement | null) => void) => {
    let ref = refs.current.get(key)
    if (!ref) {
      let current: HTMLElement | null = null
      ref = (element) => {
        if (current) {
          observer.current?.unobserve(current)
          observed.current.delete(current)
        }
        current = element
        if (element) {
          observed.current.set(element, key)
          observer.current?.observe(element)
        }
      }
      refs.current.set(key, ref)
    }
    return ref
  }

  const { first, last } = visibleRange(offsets, scrollTop, viewport, OVERSCAN_PX)
  const activeIndex = activeKey !== null ? (indexOf.get(activeKey) ?? -1) : -1
  const tabbable = activeIndex >= 0 ? activeIndex : rows.length > 0 ? 0 : -1
  const drawn: number[] = []
  for (let i = first; i <= last; i++) drawn.push(i)
  if (tabbable >= 0 && (tabbable < first || tabbable > last)) {
    drawn.push(tabbable)
    drawn.sort((a, b) => a - b)
  }

  useEffect(() => {
    if (hasMore && !loadingMore && last >= rows.length - LOAD_AHEAD_ROWS) onLoadMore()
  }, [hasMore, loadingMore, last, rows.length, onLoadMore])

  // After a keyboard move: focus the new active item (it is drawn by now).
  useEffect(() => {
    if (!focusAfterRender.current || activeKey === null) return
    focusAfterRender.current = false
    scroller.current?.querySelector<HTMLElement>(`[data-row-key="${activeKey}"]`)?.focus({ preventScroll: true })
  })

  const onScroll = useCallback(() => {
    const el = scroller.current
    if (el) setScrollTop(el.scrollTop)
  }, [])

  const moveFocus = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (!NAV_KEYS.has(event.key) || event.altKey) return
    const item = (event.target as HTMLElement).closest<HTMLElement>('[data-row-key]')
    const at = item ? (indexOf.get(item.dataset.rowKey ?? '') ?? -1) : -1
    if (at < 0) return
    const page = Math.max(1, Math.floor(viewport / ESTIMATED_HEIGHT.job) - 1)
    const end = rows.length - 1
    const to =
      event.key === 'Home' ? 0
      : event.key === 'End' ? end
      : event.key === 'ArrowDown' ? Math.min(end, at + 1)
      : event.key === 'ArrowUp' ? Math.max(0, at - 1)
      : event.key === 'PageDown' ? Math.min(end, at + page)
      : Math.max(0, at - page)
    event.preventDefault()
    const el = scroller.current
    if (el) {
      const top = revealTop(offsets, to, el.scrollTop, el.clientHeight || viewport)
      if (top !== el.scrollTop) {
        el.scrollTop = top
        setScrollTop(top)
      }
    }
    focusAfterRender.current = true
    setActiveKey(rows[to]!.key)
  }

  const navFor = (index: number): QueueItemNav => ({
    tabIndex: index === tabbable ? 0 : -1,
    onFocus: () => setActiveKey(rows[index]!.key),
  })

  const groupOf = (index: number): string | null => rows[index]!.kind === 'header' ? (rows[index] as { batchId: string }).batchId : (rows[index] as { batchId: string | null }).batchId
  const chunks = chunksOf(drawn, groupOf)
  const seenGroups = new Map<string, number>()

  const renderJob = (index: number, top?: number): ReactNode => {
    const row = rows[index]!
    if (row.kind !== 'job') return null
    return (
      <JobRow
        key={row.key}
        job={row.job}
        now={now}
        nav={navFor(index)}
        sharedPrompt={row.sharedPrompt}
        place={{ ref: measureRef(row.key), position: row.position, setSize: row.setSize, ...(top !== undefined ? { style: { top } } : {}) }}
      />
    )
  }

  return (
    <div ref={scroller} className="queue-scroller" onScroll={onScroll}>
      <ul className="queue-list" aria-label="Jobs" aria-describedby="queue-keys-hint" style={{ height: offsets[rows.length] }} onKeyDown={moveFocus}>
        {chunks.map((chunk) => {
          const start = chunk[0]!
          const batchId = groupOf(start)
          if (batchId === null) return renderJob(start, offsets[start])
          const header = headers.get(batchId)
          if (!header) return null
          // The first run of a group keeps its key as the window moves, so its rows stay mounted.
          const seen = seenGroups.get(batchId) ?? 0
          seenGroups.set(batchId, seen + 1)
          const title = batchTitle(header.summary)
          const jobs = chunk.filter((index) => rows[index]!.kind === 'job')
          return (
            <li
              key={seen === 0 ? batchId : `${batchId}:${seen}`}
              className="queue-group"
              style={{ top: offsets[start] }}
              aria-label={title}
              aria-posinset={header.position}
              aria-setsize={entries}
            >
              {rows[start]!.kind === 'header' ? (
                <BatchHeader
                  batchId={batchId}
                  jobs={header.jobs}
                  summary={header.summary}
                  now={now}
                  expanded={header.expanded}
                  onToggle={() => onToggle(batchId)}
                  nav={navFor(start)}
                  place={{ ref: measureRef(batchId) }}
                />
              ) : null}
              {jobs.length > 0 ? (
                <ul className="queue-group-jobs" id={seen === 0 ? batchIds(batchId).list : undefined} aria-label={`Jobs of ${title}`}>
                  {jobs.map((index) => renderJob(index))}
                </ul>
              ) : null}
            </li>
          )
        })}
      </ul>
      {hasMore ? (
        <p className="queue-more">
          {loadingMore ? (
            'Loading older jobs…'
          ) : (
            <button type="button" className="button-quiet" onClick={onLoadMore}>
              Show older jobs
            </button>
          )}
        </p>
      ) : null}
    </div>
  )
}
