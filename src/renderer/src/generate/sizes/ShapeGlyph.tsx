import type { ReactNode } from 'react'

/**
 * A shape drawn to scale: every glyph has the same long side, so 16:9 and 21:9 differ the way the
 * images will. Decorative: the control beside it carries the name.
 */
export function ShapeGlyph({ ratio, longSide = 22 }: { ratio: number | null; longSide?: number }): ReactNode {
  if (ratio === null) {
    return <span className="shape-glyph shape-glyph-auto" aria-hidden="true" style={{ width: longSide, height: longSide }} />
  }
  const width = ratio >= 1 ? longSide : Math.max(4, Math.round(longSide * ratio))
  const height = ratio >= 1 ? Math.max(4, Math.round(longSide / ratio)) : longSide
  return <span className="shape-glyph" aria-hidden="true" style={{ width, height }} />
}
