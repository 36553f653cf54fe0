import { parseSizeText, sizeLabel, type ProviderSummary } from '../../../shared/api'
import { customSizeIssue, sideMultiple } from '../../../shared/sizes/pixel-size-rules'

/**
 * Sizes typed by the user, for profiles that take sizes beyond their list, checked by the rules
 * the engine applies (src/shared/sizes): side limits and multiples, the model's own multiple
 * included. The summary carries no aspect or pixel-count limits, so the engine checks those and
 * the cost preview shows its answer before anything is queued.
 */
export function customSizeProblem(provider: ProviderSummary, text: string): string | null {
  const rule = provider.customSizes
  if (!rule) return `${provider.name} takes only its listed sizes.`
  const size = parseSizeText(text)
  if (!size || !('width' in size)) return 'Write the size as width x height in pixels, for example 2000x2000.'
  const issue = customSizeIssue({ ...rule, multipleOf: sideMultiple(provider.modelId, rule, false) }, size)
  if (issue?.code === 'side_limits') {
    const multiple = issue.multipleOf > 1 ? `, in multiples of ${issue.multipleOf}` : ''
    return `Each side must be ${issue.min} to ${issue.max} px${multiple}.`
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
