import type { ProviderProfile } from './profile'

/**
 * Size rules that come with the model rather than with the reseller in front of it. gpt-image
 * models take a WxH size only when both sides are multiples of 16; a reseller that checks nothing
 * itself (Tokensmart) forwards 1000x777 and answers with a refunded 502, so the rule is applied
 * here to every profile that names such a model, built-in or the user's own, listed size or custom.
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
 * What both sides of a WxH size must be a multiple of on this profile: a size it lists needs only
 * the model's rule; a custom size needs the profile's custom-size rule as well.
 */
export function sideMultipleOf(profile: ProviderProfile, listed: boolean): number {
  const custom = !listed && profile.sizes.kind === 'pixels' ? (profile.sizes.custom?.multipleOf ?? 1) : 1
  return Math.max(custom, modelSideMultiple(profile.modelId))
}

/** Each side moved to its nearest multiple of `step` (never below one step). */
export function nearestMultiple(size: { width: number; height: number }, step: number): { width: number; height: number } {
  const round = (side: number): number => Math.max(step, Math.round(side / step) * step)
  return { width: round(size.width), height: round(size.height) }
}
