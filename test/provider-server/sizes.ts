/**
 * Size syntax and size rules shared by the providers: `WIDTHxHEIGHT` pixel sizes, gpt-image-2's
 * custom-size limits, `A:B` aspect ratios, and the pixel size this server renders for an aspect
 * ratio plus a resolution tier (the documents give tiers, not pixels).
 */

export interface PixelSize {
  width: number
  height: number
}

/** `1024x1024`: digits, a lower-case `x`, digits; nothing else (no spaces, no `X`, no units). */
export function parsePixelSize(text: string): PixelSize | null {
  const match = /^(\d{1,6})x(\d{1,6})$/.exec(text)
  if (!match) return null
  const width = Number(match[1])
  const height = Number(match[2])
  return width > 0 && height > 0 ? { width, height } : null
}

export function formatPixelSize(size: PixelSize): string {
  return `${size.width}x${size.height}`
}

/**
 * gpt-image-2 custom sizes as the resellers state them (NOTES.md): both edges multiples of 16,
 * longest edge at most 3840, aspect ratio at most 3:1, total pixels 655,360..8,294,400.
 * Returns why a size breaks the rules, or null.
 */
export const GPT_IMAGE_2_LIMITS = {
  multipleOf: 16,
  maxEdge: 3840,
  maxAspect: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
} as const

export function gptImage2SizeProblem({ width, height }: PixelSize): string | null {
  const l = GPT_IMAGE_2_LIMITS
  if (width % l.multipleOf !== 0 || height % l.multipleOf !== 0) return `both edges must be multiples of ${l.multipleOf}`
  if (Math.max(width, height) > l.maxEdge) return `the longest edge must be at most ${l.maxEdge}px`
  if (Math.max(width, height) / Math.min(width, height) > l.maxAspect) return `the aspect ratio must be at most ${l.maxAspect}:1`
  const pixels = width * height
  if (pixels < l.minPixels || pixels > l.maxPixels) {
    return `the total pixel count must be between ${l.minPixels} and ${l.maxPixels} (got ${pixels})`
  }
  return null
}

/** What the server renders for `size: "auto"`. */
export const AUTO_SIZE: PixelSize = { width: 1024, height: 1024 }

export interface Aspect {
  a: number
  b: number
}

/** `16:9`: two positive integers around a colon. */
export function parseAspect(text: string): Aspect | null {
  const match = /^(\d{1,3}):(\d{1,3})$/.exec(text)
  if (!match) return null
  const a = Number(match[1])
  const b = Number(match[2])
  return a > 0 && b > 0 ? { a, b } : null
}

/** Long side per resolution tier; the short side follows the ratio, rounded to a multiple of 16. */
export const TIER_LONG_SIDE: Readonly<Record<string, number>> = { '1K': 1024, '2K': 2048, '4K': 3840 }

export function pixelsForAspect(aspect: Aspect, longSide: number): PixelSize {
  const short = Math.max(16, Math.round((longSide * Math.min(aspect.a, aspect.b)) / Math.max(aspect.a, aspect.b) / 16) * 16)
  return aspect.a >= aspect.b ? { width: longSide, height: short } : { width: short, height: longSide }
}

export function longSide(size: PixelSize): number {
  return Math.max(size.width, size.height)
}
