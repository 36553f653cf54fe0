import { ZOOM_STEPS } from '../ZoomableImage'

/**
 * The one zoom and pan every compare pane shows. Panes are the same size and each image sits at
 * its pane's centre, so one scale and one offset (in screen pixels, from the pane's centre) put
 * the same spot of every image under the same spot of every pane. Pure, so the rules are tested
 * alone; the view only turns it into a CSS transform.
 */

export interface Size {
  width: number
  height: number
}

/** "Fit" follows the panes as the window changes; otherwise a fixed scale and offset. */
export interface CompareZoom {
  fit: boolean
  scale: number
  x: number
  y: number
}

/** What the zoom is measured against: a pane's size and the images compared. */
export interface ZoomFrame {
  pane: Size
  images: readonly Size[]
}

export const FIT: CompareZoom = { fit: true, scale: 1, x: 0, y: 0 }
export const MIN_SCALE = 0.05
export const MAX_SCALE = 8

const clamp = (value: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, value))

/**
 * The scale at which every image fits its pane: the smallest of their fits, so they share one
 * scale (a 1536-wide image beside a 1024-wide one stays half again as wide). Never above 1: small
 * images are not blown up.
 */
export function fitScale(frame: ZoomFrame): number {
  const { pane, images } = frame
  if (pane.width <= 0 || pane.height <= 0 || images.length === 0) return 1
  return Math.min(1, ...images.map((image) => Math.min(pane.width / image.width, pane.height / image.height)))
}

/** The zoom as shown: "fit" resolved against the panes now. */
export function resolveZoom(zoom: CompareZoom, frame: ZoomFrame): CompareZoom {
  return zoom.fit ? { fit: true, scale: fitScale(frame), x: 0, y: 0 } : zoom
}

/** Keeps the largest image covering the pane's centre: panning never loses the pictures. */
function clampPan(zoom: CompareZoom, frame: ZoomFrame): CompareZoom {
  const widest = Math.max(0, ...frame.images.map((i) => i.width)) * zoom.scale
  const tallest = Math.max(0, ...frame.images.map((i) => i.height)) * zoom.scale
  const limitX = Math.max(0, (widest - frame.pane.width) / 2)
  const limitY = Math.max(0, (tallest - frame.pane.height) / 2)
  return { ...zoom, x: clamp(zoom.x, -limitX, limitX), y: clamp(zoom.y, -limitY, limitY) }
}

/**
 * Zooms to `scale`, keeping the image point under `anchor` (pane coordinates from its centre; the
 * centre when absent) where it is, as a wheel zoom under the pointer should.
 */
export function zoomTo(zoom: CompareZoom, scale: number, frame: ZoomFrame, anchor: { x: number; y: number } = { x: 0, y: 0 }): CompareZoom {
  const now = resolveZoom(zoom, frame)
  const next = clamp(scale, MIN_SCALE, MAX_SCALE)
  const k = next / now.scale
  return clampPan({ fit: false, scale: next, x: anchor.x - (anchor.x - now.x) * k, y: anchor.y - (anchor.y - now.y) * k }, frame)
}

/** A wheel or pinch: a factor of the scale shown. */
export function zoomBy(zoom: CompareZoom, factor: number, frame: ZoomFrame, anchor?: { x: number; y: number }): CompareZoom {
  return zoomTo(zoom, resolveZoom(zoom, frame).scale * factor, frame, anchor)
}

/** The + and − keys and buttons: the next of the usual steps (10% … 400%) from the scale shown. */
export function stepZoom(zoom: CompareZoom, direction: 1 | -1, frame: ZoomFrame): CompareZoom {
  const current = resolveZoom(zoom, frame).scale
  const steps = [...ZOOM_STEPS, 6, 8]
  const next = direction > 0 ? (steps.find((s) => s > current + 1e-6) ?? MAX_SCALE) : ([...steps].reverse().find((s) => s < current - 1e-6) ?? steps[0]!)
  return zoomTo(zoom, next, frame)
}

/** "100%": one image pixel per screen pixel, centred. */
export function actualSize(frame: ZoomFrame): CompareZoom {
  return clampPan({ fit: false, scale: 1, x: 0, y: 0 }, frame)
}

/** A drag: moves every image by the pointer's travel. */
export function panBy(zoom: CompareZoom, dx: number, dy: number, frame: ZoomFrame): CompareZoom {
  const now = resolveZoom(zoom, frame)
  if (zoom.fit) return zoom
  return clampPan({ ...now, x: now.x + dx, y: now.y + dy }, frame)
}

const round = (n: number): number => Math.round(n * 1000) / 1000

/** The CSS transform of each image (origin at its centre, which sits at the pane's centre). */
export function zoomTransform(zoom: CompareZoom, frame: ZoomFrame): string {
  const shown = resolveZoom(zoom, frame)
  return `translate(${round(shown.x)}px, ${round(shown.y)}px) scale(${round(shown.scale)})`
}

export function zoomPercent(zoom: CompareZoom, frame: ZoomFrame): string {
  return `${Math.round(resolveZoom(zoom, frame).scale * 100)}%`
}
