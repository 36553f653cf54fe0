import { roundMoney, type TokenUsage } from '../../../shared/api'
import type { TokenPrices } from '../providers/profile'

/**
 * What a call that reported token usage cost, from the model's token prices; null when the usage
 * lacks the output count (then the list price applies, as for providers without usage).
 */
export function tokenCharge(prices: TokenPrices, usage: TokenUsage): number | null {
  if (usage.outputTokens === null) return null
  let text = usage.inputTextTokens
  let image = usage.inputImageTokens
  if (text === null && image === null) {
    // The split is unknown: charge all input at the dearer image rate, so the figure never understates.
    image = usage.inputTokens ?? 0
    text = 0
  } else if (text === null || image === null) {
    const rest = Math.max(0, (usage.inputTokens ?? 0) - (text ?? image ?? 0))
    if (text === null) text = rest
    else image = rest
  }
  const perToken = (perMillion: number) => perMillion / 1_000_000
  return roundMoney(
    (text ?? 0) * perToken(prices.textInputPerMillion) +
      (image ?? 0) * perToken(prices.imageInputPerMillion) +
      usage.outputTokens * perToken(prices.imageOutputPerMillion),
  )
}
