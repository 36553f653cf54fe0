import type { TokenUsage } from '../../../shared/api'

/**
 * OpenAI's `usage` on an Images reply (ImageGenUsage: input_tokens with input_tokens_details
 * {text_tokens, image_tokens}, output_tokens, total_tokens; newer versions add output_tokens_details,
 * which the output count already includes). Null when the reply has none, as resellers' replies
 * often do; a count that is missing or not a whole number reads as null, never as 0.
 */
export function usageFromReply(body: unknown): TokenUsage | null {
  const usage = field(body, 'usage')
  if (!isObject(usage)) return null
  const details = field(usage, 'input_tokens_details')
  const parsed: TokenUsage = {
    inputTokens: count(field(usage, 'input_tokens')),
    inputTextTokens: count(field(details, 'text_tokens')),
    inputImageTokens: count(field(details, 'image_tokens')),
    outputTokens: count(field(usage, 'output_tokens')),
    totalTokens: count(field(usage, 'total_tokens')),
  }
  return Object.values(parsed).every((v) => v === null) ? null : parsed
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null
}
