import { parseSizeText, sizeLabel, type ProviderSummary } from '../../../shared/api'

/**
 * Sizes typed by the user, for profiles that take sizes beyond their list. The check here is the
 * quick one (syntax, side limits, multiples); the engine checks the rest (aspect, pixel count)
 * and the cost preview shows its answer before anything is queued.
 */
export function customSizeProblem(provider: ProviderSummary, text: string): string | null {
  const rule = provider.customSizes
  if (!rule) return `${provider.name} takes only its listed sizes.`
  const size = parseSizeText(text)
  if (!size || !('width' in size)) return 'Write the size as width x height in pixels, for example 2000x2000.'
  const bad = [size.width, size.height].some((side) => side < rule.min || side > rule.max || side % rule.multipleOf !== 0)
  if (bad) {
    const multiple = rule.multipleOf > 1 ? `, in multiples of ${rule.multipleOf}` : ''
    return `Each side must be ${rule.min} to ${rule.max} px${multiple}.`
  }
  return null
}

/** Whether a chosen size can stay when the user switches to this provider. */
export function sizeFits(provider: ProviderSummary, size: string): boolean {
  return provider.sizes.some((offered) => sizeLabel(offered) === size) || (provider.customSizes !== null && customSizeProblem(provider, size) === null)
}

/** "2000 x 2000" or "2000X2000" as the canonical "2000x2000". */
export function normalizeSizeText(text: string): string {
  return text.trim().toLowerCase().replace(/\s*[x×]\s*/, 'x')
}
