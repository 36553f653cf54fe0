import type { SizeSpec } from '../api/size'
import { customSizeIssue, sideMultiple, type CustomSizeLimits, type PixelSize } from './pixel-size-rules'
import { pixelSizeOf, pixelText, shapeOfPixels } from './size-shapes'

/**
 * Which size a provider should make for a channel's target (2000x2000 for a web shop), and what
 * export then does to it. Pure, so the interface, the engine and the CLI can all ask. Export
 * (core/export/convert.ts) resizes with `cover` by default: same shape is a plain scale, another
 * shape is scaled to cover the target and cropped; it enlarges when the image is smaller.
 */

/** What a provider makes, as ProviderSummary carries it. */
export interface SizeOffer {
  sizes: readonly SizeSpec[]
  customSizes: CustomSizeLimits | null
  modelId: string
}

export interface ChannelSize {
  /** The size to ask the provider for. */
  size: SizeSpec
  /** Its pixels (nominal for an aspect at a tier). */
  made: PixelSize
  /** What export does to reach the target. */
  export: 'none' | 'scale-down' | 'scale-up' | 'crop'
  /** "made at 2048 × 2048, exported at 2000 × 2000 by scaling down" */
  note: string
}

/** Shapes closer than this (log ratio, about 0.5%) count as the same: export only scales. */
const SAME_SHAPE = 0.005
/**
 * Shapes this much further from the target than the nearest one still compete on size (about 2%):
 * A4 sits between 2:3 and 3:4, and a 1K 2:3 is no better a start than a 2K 3:4.
 */
const NEAR_SHAPE = 0.02

function shapeDistance(a: PixelSize, b: PixelSize): number {
  return Math.abs(Math.log(a.width / a.height / (b.width / b.height)))
}

/** Whether two sizes have the same shape, so one only scales into the other (no crop). */
export function sameShape(a: PixelSize, b: PixelSize): boolean {
  return shapeDistance(a, b) <= SAME_SHAPE
}

function covers(made: PixelSize, target: PixelSize): boolean {
  return made.width >= target.width && made.height >= target.height
}

/**
 * Sizes a provider that takes custom sizes could make for the target: the target rounded up to
 * the side multiple, then pulled inside the profile's limits (shape first, then pixel count),
 * keeping only those its own size check accepts.
 */
function customCandidates(offer: SizeOffer, target: PixelSize): PixelSize[] {
  const limits = offer.customSizes
  if (!limits) return []
  const step = sideMultiple(offer.modelId, limits, false)
  const up = (side: number): number => Math.max(Math.ceil(limits.min / step) * step, Math.ceil(side / step) * step)
  const down = (side: number): number => Math.max(step, Math.floor(side / step) * step)
  const scaled = (size: PixelSize, factor: number, round: (side: number) => number): PixelSize => ({ width: round(size.width * factor), height: round(size.height * factor) })

  let size: PixelSize = { width: up(target.width), height: up(target.height) }
  const found = [size]
  const long = Math.max(size.width, size.height)
  if (limits.maxAspect !== undefined && long / Math.min(size.width, size.height) > limits.maxAspect) {
    const short = up(long / limits.maxAspect)
    size = size.width >= size.height ? { width: long, height: short } : { width: short, height: long }
    found.push(size)
  }
  const pixels = size.width * size.height
  if (limits.minPixels !== undefined && pixels < limits.minPixels) found.push((size = scaled(size, Math.sqrt(limits.minPixels / pixels), up)))
  const shrink = Math.min(limits.max / Math.max(size.width, size.height), limits.maxPixels !== undefined ? Math.sqrt(limits.maxPixels / (size.width * size.height)) : Infinity)
  if (shrink < 1) found.push(scaled(size, shrink, down))
  return found.filter((s) => customSizeIssue({ ...limits, multipleOf: step }, s) === null)
}

/**
 * The size to make for a target: the nearest shape first, then among sizes of that shape the
 * smallest that covers the target's pixels, else the largest. Null when the provider offers no
 * size with a shape (only `auto`).
 */
export function sizeForTarget(offer: SizeOffer, target: PixelSize): ChannelSize | null {
  const candidates: { size: SizeSpec; made: PixelSize }[] = []
  for (const size of offer.sizes) {
    const made = pixelSizeOf(size)
    if (made) candidates.push({ size, made })
  }
  for (const made of customCandidates(offer, target)) candidates.push({ size: made, made })
  if (candidates.length === 0) return null

  const nearest = Math.min(...candidates.map((c) => shapeDistance(c.made, target)))
  const shaped = candidates.filter((c) => shapeDistance(c.made, target) <= nearest + NEAR_SHAPE)
  const area = (c: { made: PixelSize }): number => c.made.width * c.made.height
  const covering = shaped.filter((c) => covers(c.made, target)).sort((a, b) => area(a) - area(b))
  const chosen = covering[0] ?? [...shaped].sort((a, b) => area(b) - area(a))[0]!
  return { size: chosen.size, made: chosen.made, ...exportOf(chosen.made, target) }
}

/** What export does to bring an image made at `made` to `target`, in words any door can show. */
export function exportOf(made: PixelSize, target: PixelSize): Pick<ChannelSize, 'export' | 'note'> {
  const madeText = `made at ${pixelText(made)}`
  if (made.width === target.width && made.height === target.height) return { export: 'none', note: `${madeText}, exactly the size needed` }
  if (sameShape(made, target)) {
    const smaller = covers(made, target)
    return { export: smaller ? 'scale-down' : 'scale-up', note: `${madeText}, exported at ${pixelText(target)} by scaling ${smaller ? 'down' : 'up'}` }
  }
  const enlarged = covers(made, target) ? '' : ' after scaling up'
  return { export: 'crop', note: `${madeText} (${shapeOfPixels(made)}); cropped to ${pixelText(target)} on export${enlarged}` }
}

/**
 * The nearest size the provider's custom-size rules accept for a typed size that breaks them
 * (1000x777 on gpt-image-2 becomes 1008x784): same shape where it can, covering it where it can.
 * Null when the provider takes no custom sizes or nothing near passes its check.
 */
export function customSizeNear(offer: SizeOffer, wanted: PixelSize): PixelSize | null {
  const chosen = sizeForTarget({ ...offer, sizes: [] }, wanted)
  return chosen ? chosen.made : null
}
