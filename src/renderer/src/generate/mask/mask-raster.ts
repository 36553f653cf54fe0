/**
 * The painted mask as plain numbers, so it can be tested without a canvas: one byte per pixel of
 * the reference (1: the provider repaints it, 0: kept). Strokes are laid down as round-capped
 * segments whose radius follows the pen's pressure; the edge is hard on purpose, because OpenAI
 * reads only alpha 0 as "edit here" and leaves half-transparent pixels to chance.
 */

/** A point of a stroke in the reference's pixels; `radius` is half the brush size at that point. */
export interface StrokePoint {
  x: number
  y: number
  radius: number
}

/** One undoable step of the painter. */
export type MaskAction =
  | { kind: 'stroke'; mode: 'paint' | 'erase'; points: readonly StrokePoint[] }
  | { kind: 'invert' }
  | { kind: 'clear' }

export interface Coverage {
  readonly width: number
  readonly height: number
  /** Row by row, one byte per pixel: 1 where the provider repaints. */
  readonly cells: Uint8Array
}

/** The part of the image a step changed, in whole pixels (empty when width or height is 0). */
export interface PixelRect {
  x: number
  y: number
  width: number
  height: number
}

export function emptyCoverage(width: number, height: number): Coverage {
  return { width, height, cells: new Uint8Array(width * height) }
}

export function copyCoverage(from: Coverage): Coverage {
  return { width: from.width, height: from.height, cells: from.cells.slice() }
}

const whole = (c: Coverage): PixelRect => ({ x: 0, y: 0, width: c.width, height: c.height })

/** The rectangle of pixels within `pad` of the segment a-b, clipped to the image. */
function segmentBounds(c: Coverage, a: StrokePoint, b: StrokePoint): PixelRect {
  const pad = Math.max(a.radius, b.radius)
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - pad))
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - pad))
  const x1 = Math.min(c.width, Math.ceil(Math.max(a.x, b.x) + pad))
  const y1 = Math.min(c.height, Math.ceil(Math.max(a.y, b.y) + pad))
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) }
}

/**
 * Sets (or clears) every pixel whose centre lies within the brush as it moves from a to b: the
 * distance to the segment against the radius at the nearest point, so a pressure change tapers
 * the stroke instead of stepping it.
 */
export function stampSegment(c: Coverage, a: StrokePoint, b: StrokePoint, value: 0 | 1): PixelRect {
  const box = segmentBounds(c, a, b)
  const dx = b.x - a.x
  const dy = b.y - a.y
  const lengthSq = dx * dx + dy * dy
  for (let y = box.y; y < box.y + box.height; y++) {
    const py = y + 0.5
    for (let x = box.x; x < box.x + box.width; x++) {
      const px = x + 0.5
      const t = lengthSq === 0 ? 0 : Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / lengthSq))
      const nx = a.x + t * dx - px
      const ny = a.y + t * dy - py
      const radius = a.radius + t * (b.radius - a.radius)
      if (nx * nx + ny * ny <= radius * radius) c.cells[y * c.width + x] = value
    }
  }
  return box
}

function union(a: PixelRect | null, b: PixelRect): PixelRect {
  if (!a || a.width === 0 || a.height === 0) return b
  if (b.width === 0 || b.height === 0) return a
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y }
}

/** Lays a stroke from its `from`th point on (0: all of it); a live stroke passes the new tail only. */
export function applyStroke(c: Coverage, mode: 'paint' | 'erase', points: readonly StrokePoint[], from = 0): PixelRect {
  const value = mode === 'paint' ? 1 : 0
  let dirty: PixelRect | null = null
  for (let i = Math.max(0, from); i < points.length; i++) {
    const b = points[i]!
    const a = i === 0 ? b : points[i - 1]!
    dirty = union(dirty, stampSegment(c, a, b, value))
  }
  return dirty ?? { x: 0, y: 0, width: 0, height: 0 }
}

export function applyAction(c: Coverage, action: MaskAction): PixelRect {
  switch (action.kind) {
    case 'stroke':
      return applyStroke(c, action.mode, action.points)
    case 'invert':
      for (let i = 0; i < c.cells.length; i++) c.cells[i] = c.cells[i] ? 0 : 1
      return whole(c)
    case 'clear':
      c.cells.fill(0)
      return whole(c)
  }
}

/** The base (a mask loaded when the painter opened) with these steps applied in order. */
export function replay(base: Coverage, actions: readonly MaskAction[]): Coverage {
  const c = copyCoverage(base)
  for (const action of actions) applyAction(c, action)
  return c
}

/** Share of the image the provider will repaint, 0 to 1. */
export function paintedShare(c: Coverage): number {
  if (c.cells.length === 0) return 0
  let painted = 0
  for (const cell of c.cells) painted += cell
  return painted / c.cells.length
}

/**
 * The mask as the provider reads it, RGBA row by row: alpha 0 where it repaints, opaque black
 * where it keeps the reference. Nothing in between.
 */
export function maskPixels(c: Coverage): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(c.width * c.height * 4)
  for (let i = 0; i < c.cells.length; i++) rgba[i * 4 + 3] = c.cells[i] ? 0 : 255
  return rgba
}

/** Reads a mask back from RGBA pixels (a saved or picked PNG): mostly transparent means repainted. */
export function coverageFromPixels(width: number, height: number, rgba: Uint8ClampedArray): Coverage {
  const c = emptyCoverage(width, height)
  for (let i = 0; i < c.cells.length; i++) c.cells[i] = rgba[i * 4 + 3]! < 128 ? 1 : 0
  return c
}

/**
 * The overlay for a rectangle of the coverage: diagonal stripes of `rgb` and white where painted,
 * clear elsewhere. Two colours, so the painted area shows on any image (a plain accent vanishes
 * on a photo of the same hue); `stripe` is a band's width in the reference's pixels.
 */
export function overlayPixels(c: Coverage, rect: PixelRect, rgb: readonly [number, number, number], stripe = 8): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(rect.width * rect.height * 4)
  const band = Math.max(1, Math.round(stripe))
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      if (!c.cells[(rect.y + y) * c.width + rect.x + x]) continue
      const o = (y * rect.width + x) * 4
      const light = Math.floor((rect.x + x + rect.y + y) / band) % 2 === 1
      out[o] = light ? 255 : rgb[0]
      out[o + 1] = light ? 255 : rgb[1]
      out[o + 2] = light ? 255 : rgb[2]
      out[o + 3] = 255
    }
  }
  return out
}

/** A stripe width that reads at the size the whole image is shown: about 1/100 of its long side. */
export function stripeWidth(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 100))
}

/**
 * The brush radius at a pointer sample: the size slider's value scaled by pen pressure where the
 * browser reports it. A mouse reports 0.5 whenever a button is down, and touch often 0 or 1, so
 * only a pen's pressure counts; a pen's faintest touch still leaves a fifth of the size.
 */
export function brushRadius(size: number, pointerType: string, pressure: number): number {
  const full = size / 2
  if (pointerType !== 'pen' || !(pressure > 0)) return full
  return full * Math.max(0.2, Math.min(1, pressure))
}
