/**
 * Where the arrow keys, Home/End and Page Up/Down take the active cell of the gallery grid.
 * Returns null for any other key, so the caller can handle its own (Enter, Space, F, Delete).
 */
export function moveByKey(key: string, active: number, count: number, columns: number, pageRows: number, ctrl = false): number | null {
  if (count === 0) return null
  const last = count - 1
  const clamp = (i: number): number => Math.min(last, Math.max(0, i))
  switch (key) {
    case 'ArrowRight':
      return clamp(active + 1)
    case 'ArrowLeft':
      return clamp(active - 1)
    case 'ArrowDown':
      // From the last full row, Down goes to the last image rather than nowhere.
      return clamp(active + columns)
    case 'ArrowUp':
      return active - columns >= 0 ? active - columns : active
    case 'Home':
      return ctrl ? 0 : active - (active % columns)
    case 'End':
      return ctrl ? last : clamp(active - (active % columns) + columns - 1)
    case 'PageDown':
      return clamp(active + columns * Math.max(1, pageRows))
    case 'PageUp':
      return clamp(active - columns * Math.max(1, pageRows))
    default:
      return null
  }
}
