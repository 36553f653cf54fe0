/**
 * The arithmetic of a WxH size check, applied by the Generate form to a typed custom size and by
 * the engine before a job is queued, so the two cannot disagree. It answers with what is wrong (a
 * code and its numbers); each side words it for its reader. How a size is written or parsed is not
 * here (shared/api/generation.ts), nor which sizes a profile lists.
 */

export interface PixelSize {
  width: number
  height: number
}

/** A profile's limits on sizes beyond its list (pixel mode). */
export interface CustomSizeLimits {
  min: number
  max: number
  multipleOf: number
  /** Longest side over shortest side, at most. */
  maxAspect?: number
  minPixels?: number
  maxPixels?: number
}

/**
 * gpt-image models take a WxH size only when both sides are multiples of 16. A reseller that
 * checks nothing itself (Tokensmart) forwards 1000x777 and answers with a refunded 502, so the rule
 * comes with the model, whichever profile (built-in or the user's own) names it.
 */
export const GPT_IMAGE_SIDE_MULTIPLE = 16

/** gpt-image-1, gpt-image-2, openai/gpt-image-2 ... as the profiles name them. */
export function isGptImageModel(modelId: string): boolean {
  return /(^|\/)gpt-image-/i.test(modelId)
}

/** What the model itself needs both sides of any WxH size to be a multiple of (1: anything). */
export function modelSideMultiple(modelId: string): number {
  return isGptImageModel(modelId) ? GPT_IMAGE_SIDE_MULTIPLE : 1
}

/**
 * What both sides of a WxH size must be a multiple of: a size the profile lists needs only the
 * model's rule; a custom size needs the profile's custom-size rule as well.
 */
export function sideMultiple(modelId: string, custom: Pick<CustomSizeLimits, 'multipleOf'> | null, listed: boolean): number {
  const own = !listed && custom ? custom.multipleOf : 1
  return Math.max(own, modelSideMultiple(modelId))
}

/** Each side moved to its nearest multiple of `step` (never below one step). */
export function nearestMultiple(size: PixelSize, step: number): PixelSize {
  const round = (side: number): number => Math.max(step, Math.round(side / step) * step)
  return { width: round(size.width), height: round(size.height) }
}

export type CustomSizeIssue =
  | { code: 'side_limits'; min: number; max: number; multipleOf: number }
  | { code: 'too_wide'; maxAspect: number }
  | { code: 'pixel_count'; pixels: number; minPixels: number; maxPixels: number }

/** What keeps a size off the profile's custom-size limits, checked in this order; null when it fits. */
export function customSizeIssue(limits: CustomSizeLimits, size: PixelSize): CustomSizeIssue | null {
  const { min, max, multipleOf } = limits
  if ([size.width, size.height].some((side) => side < min || side > max || side % multipleOf !== 0)) return { code: 'side_limits', min, max, multipleOf }
  const aspect = Math.max(size.width, size.height) / Math.min(size.width, size.height)
  if (limits.maxAspect !== undefined && aspect > limits.maxAspect) return { code: 'too_wide', maxAspect: limits.maxAspect }
  const pixels = size.width * size.height
  if ((limits.minPixels !== undefined && pixels < limits.minPixels) || (limits.maxPixels !== undefined && pixels > limits.maxPixels)) {
    return { code: 'pixel_count', pixels, minPixels: limits.minPixels ?? 0, maxPixels: limits.maxPixels ?? Infinity }
  }
  return null
}
