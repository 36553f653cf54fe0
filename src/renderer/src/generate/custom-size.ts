import { parseSizeText, sizeLabel, type ProviderSummary } from '../../../shared/api'
import { customSizeNear } from '../../../shared/sizes/channel-size'
import { customSizeIssue, sideMultiple, type PixelSize } from '../../../shared/sizes/pixel-size-rules'

/**
 * Sizes typed by the user, for profiles that take sizes beyond their list, checked by the rules
 * the engine applies (src/shared/sizes): side limits and multiples (the model's own included),
 * the widest shape and the pixel count, so what the form accepts the engine accepts.
 */

export interface CustomSizeCheck {
  /** What is wrong, in words; null when the size can be added. */
  problem: string | null
  /** The size as typed, when it reads as one. */
  size: PixelSize | null
  /** The nearest size that passes, offered as a one-click fix. */
  nearest: PixelSize | null
}

const NOT_A_SIZE = 'Write the size as width x height in pixels, for example 2000x2000.'

export function checkCustomSize(provider: ProviderSummary, text: string): CustomSizeCheck {
  const rule = provider.customSizes
  if (!rule) return { problem: `${provider.name} takes only its listed sizes.`, size: null, nearest: null }
  const parsed = parseSizeText(normalizeSizeText(text))
  if (!parsed || !('width' in parsed)) return { problem: NOT_A_SIZE, size: null, nearest: null }
  const size = { width: parsed.width, height: parsed.height }
  const multipleOf = sideMultiple(provider.modelId, rule, false)
  const issue = customSizeIssue({ ...rule, multipleOf }, size)
  if (issue === null) return { problem: null, size, nearest: null }
  const nearest = customSizeNear(provider, size)
  switch (issue.code) {
    case 'side_limits': {
      const multiple = issue.multipleOf > 1 ? `, in multiples of ${issue.multipleOf}` : ''
      return { problem: `Each side must be ${issue.min} to ${issue.max} px${multiple}.`, size, nearest }
    }
    case 'too_wide':
      return { problem: `${provider.name} makes shapes up to ${issue.maxAspect}:1.`, size, nearest }
    case 'pixel_count':
      return { problem: `That is ${issue.pixels.toLocaleString('en-US')} pixels; ${provider.name} makes ${issue.minPixels.toLocaleString('en-US')} to ${issue.maxPixels.toLocaleString('en-US')}.`, size, nearest }
  }
}

/** What is wrong with a typed size, or null when it can be added. */
export function customSizeProblem(provider: ProviderSummary, text: string): string | null {
  return checkCustomSize(provider, text).problem
}

/** Whether a chosen size can stay when the user switches to this provider. */
export function sizeFits(provider: ProviderSummary, size: string): boolean {
  return provider.sizes.some((offered) => sizeLabel(offered) === size) || (provider.customSizes !== null && customSizeProblem(provider, size) === null)
}

/** "2000 x 2000", "2000X2000" or "2000 × 2000" as the canonical "2000x2000". */
export function normalizeSizeText(text: string): string {
  return text.trim().toLowerCase().replace(/\s*[x×*]\s*/, 'x')
}
