/**
 * Where each row of a virtual list sits, from row heights that are measured once a row has been
 * drawn and estimated before: offsets, the rows in view, and where to scroll to show one. Pure,
 * so the arithmetic is tested without a browser.
 */

/** `offsets[i]` is the top of row i; the last entry is the height of the whole list. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = new Array<number>(heights.length + 1)
  offsets[0] = 0
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!
  return offsets
}

/** The first row whose bottom is below `y` (binary search); `count` when `y` is past the end. */
function rowAt(offsets: readonly number[], y: number): number {
  const count = offsets.length - 1
  let lo = 0
  let hi = count
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (offsets[mid + 1]! <= y) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Rows drawn for this scroll position: those in view plus `overscan` pixels either side. */
export function visibleRange(offsets: readonly number[], scrollTop: number, viewport: number, overscan: number): { first: number; last: number } {
  const count = offsets.length - 1
  if (count === 0) return { first: 0, last: -1 }
  const first = Math.min(count - 1, rowAt(offsets, Math.max(0, scrollTop - overscan)))
  const last = Math.min(count - 1, rowAt(offsets, scrollTop + viewport + overscan))
  return { first, last: Math.max(first, last) }
}

/** The scroll position that shows row `index` whole, moving as little as possible. */
export function revealTop(offsets: readonly number[], index: number, scrollTop: number, viewport: number): number {
  const top = offsets[index] ?? 0
  const bottom = offsets[index + 1] ?? top
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport)
  return scrollTop
}

/**
 * Drawn rows as runs that share a parent: consecutive rows of one batch become one chunk (its
 * header and the visible jobs, nested as the markup nests them); every other row is its own chunk.
 */
export function chunksOf(indices: readonly number[], groupOf: (index: number) => string | null): number[][] {
  const chunks: number[][] = []
  let last: number | null = null
  for (const index of indices) {
    const group = groupOf(index)
    const run = chunks.at(-1)
    if (run && last === index - 1 && group !== null && groupOf(last) === group) run.push(index)
    else chunks.push([index])
    last = index
  }
  return chunks
}
