import { sizeRatio, type Resolution, type SizeSpec } from '../api/size'
import type { PixelSize } from './pixel-size-rules'

/**
 * What a size looks like to a designer: its shape (the named aspect it belongs to) and its pixels.
 * Aspect-ratio providers document tiers, not pixels, so their pixel size is the nominal one: the
 * tier is the long side and the short side follows the ratio in steps of 16, as gpt-image sizes
 * go. The pickers, the channel presets and later the CLI read sizes through here.
 */

/** Long side of a resolution tier (4K is UHD's 3840, the gpt-image-2 limit). */
export const TIER_LONG_SIDE: Readonly<Record<Resolution, number>> = { '1K': 1024, '2K': 2048, '4K': 3840 }

/** The shapes a designer names, tallest to widest; a provider shows those it has. */
export const NAMED_ASPECTS = ['9:21', '1:2', '9:16', '2:3', '3:4', '4:5', '1:1', '5:4', '4:3', '3:2', '16:9', '2:1', '21:9'] as const

/** How far (in log ratio, about 2.5%) a pixel size may stray from a named shape and still belong to it. */
const SHAPE_TOLERANCE = 0.025

export function aspectRatio(aspect: string): number {
  const [w, h] = aspect.split(':').map(Number)
  return w && h ? w / h : 1
}

/** "15:8" when the terms are small, else "3.16:1": a shape a person can read. */
function ratioText(size: PixelSize): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  const d = gcd(size.width, size.height)
  const [w, h] = [size.width / d, size.height / d]
  if (w <= 32 && h <= 32) return `${w}:${h}`
  const ratio = size.width / size.height
  return ratio >= 1 ? `${Number(ratio.toFixed(2))}:1` : `1:${Number((1 / ratio).toFixed(2))}`
}

/** The named shape nearest to a ratio, or the ratio's own reduced spelling when none is near. */
export function shapeOfPixels(size: PixelSize): string {
  const ratio = size.width / size.height
  let best: { aspect: string; distance: number } | null = null
  for (const aspect of NAMED_ASPECTS) {
    const distance = Math.abs(Math.log(ratio / aspectRatio(aspect)))
    if (best === null || distance < best.distance) best = { aspect, distance }
  }
  return best && best.distance <= SHAPE_TOLERANCE ? best.aspect : ratioText(size)
}

/** The shape a size is grouped under ("16:9"); null for `auto`, which has none until the model picks. */
export function shapeOf(size: SizeSpec): string | null {
  if ('auto' in size) return null
  return 'aspect' in size ? size.aspect : shapeOfPixels(size)
}

/** The pixels a size makes: exact for WxH, nominal for an aspect at a tier; null for `auto`. */
export function pixelSizeOf(size: SizeSpec): PixelSize | null {
  if ('auto' in size) return null
  if ('width' in size) return { width: size.width, height: size.height }
  const long = TIER_LONG_SIDE[size.resolution]
  const ratio = sizeRatio(size) ?? 1
  const short = Math.max(16, Math.round((long * Math.min(ratio, 1 / ratio)) / 16) * 16)
  return ratio >= 1 ? { width: long, height: short } : { width: short, height: long }
}

/** "2048 × 1152", as sizes are written for people (the WxH label is for flags and files). */
export function pixelText(size: PixelSize): string {
  return `${size.width} × ${size.height}`
}

/**
 * A size's name in the interface: "1024 × 1024", "2K (2048 × 1152)" (its shape is said by the
 * group it sits in), or "Auto (the model picks)".
 */
export function sizeOptionName(size: SizeSpec): string {
  if ('auto' in size) return 'Auto (the model picks)'
  const pixels = pixelSizeOf(size)!
  return 'aspect' in size ? `${size.resolution} (${pixelText(pixels)})` : pixelText(pixels)
}

/** The same, with the shape, for a size seen on its own (a chip): "16:9 2K (2048 × 1152)". */
export function sizeFullName(size: SizeSpec): string {
  return 'aspect' in size ? `${size.aspect} ${sizeOptionName(size)}` : sizeOptionName(size)
}
