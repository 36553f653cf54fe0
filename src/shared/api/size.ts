import { z } from 'zod'
import { onFirstUse } from './on-first-use'

export const Resolution = onFirstUse(() => z.enum(['1K', '2K', '4K']))
export type Resolution = z.infer<typeof Resolution>

const PIXELS = /^(\d{2,5})x(\d{2,5})$/
const ASPECT = /^(\d{1,2}):(\d{1,2})$/

/**
 * A size is either exact pixels ("1024x1024") or an aspect ratio with a resolution tier
 * ("16:9" at "2K"), because providers disagree on which of the two they take; or `auto`, where a
 * provider documents letting the model pick (OpenAI, TokenHub, Tokensmart). Every layer passes
 * this object; text exists only at the edges (a flag, a CSV cell, a checkbox's name, a stored
 * label), written by sizeLabel and read by parseSizeText, so there is one spelling to keep.
 */
export const SizeSpec = onFirstUse(() => z.union([
  z.strictObject({
    width: z.number().int().min(16, 'each side must be at least 16 pixels').max(16384, 'each side must be at most 16384 pixels'),
    height: z.number().int().min(16, 'each side must be at least 16 pixels').max(16384, 'each side must be at most 16384 pixels'),
  }),
  z.strictObject({ aspect: z.string().regex(ASPECT, 'aspect must look like 16:9'), resolution: Resolution }),
  z.strictObject({ auto: z.literal(true) }),
]))
export type SizeSpec = z.infer<typeof SizeSpec>
const AUTO_SIZE_LABEL = 'auto'

/** The one text spelling of a size: "1024x1024", "16:9@2K" or "auto" (what the CLI and CSV take). */
export function sizeLabel(size: SizeSpec): string {
  if ('auto' in size) return AUTO_SIZE_LABEL
  return 'width' in size ? `${size.width}x${size.height}` : `${size.aspect}@${size.resolution}`
}

/** Reads what sizeLabel writes ("16:9" alone means 1K); undefined when the text is no size. */
export function parseSizeText(text: string): SizeSpec | undefined {
  const trimmed = text.trim()
  if (trimmed.toLowerCase() === AUTO_SIZE_LABEL) return { auto: true }
  const px = PIXELS.exec(trimmed)
  if (px) return { width: Number(px[1]), height: Number(px[2]) }
  const [aspect, resolution] = trimmed.split('@')
  if (aspect && ASPECT.test(aspect)) {
    const res = Resolution.safeParse(resolution ?? '1K')
    if (res.success) return { aspect, resolution: res.data }
  }
  return undefined
}

/** Width over height (16:9 is 1.78); null for `auto`, which has no shape until the model picks. */
export function sizeRatio(size: SizeSpec): number | null {
  if ('auto' in size) return null
  if ('width' in size) return size.width / size.height
  const [w, h] = size.aspect.split(':').map(Number)
  return w && h ? w / h : null
}
