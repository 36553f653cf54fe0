import { useLayoutEffect, useState } from 'react'

/**
 * An element's client size in CSS pixels, kept current as it resizes; 0 x 0 until there is an
 * element (pass a callback ref's state) or where nothing can measure (tests without layout).
 */
export function useElementSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 })
  useLayoutEffect(() => {
    if (!element) return
    const update = (): void => setSize({ width: element.clientWidth, height: element.clientHeight })
    update()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(update)
    observer.observe(element)
    return () => observer.disconnect()
  }, [element])
  return size
}
