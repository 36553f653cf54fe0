import { z } from 'zod'
import { onFirstUse } from './on-first-use'

/**
 * Token counts a provider reports for one job (OpenAI's `usage` on an Images reply, summed over
 * the job's calls). A part the provider did not report is null, never guessed as 0.
 */
export const TokenUsage = onFirstUse(() => z.object({
  inputTokens: z.number().int().nonnegative().nullable(),
  inputTextTokens: z.number().int().nonnegative().nullable(),
  inputImageTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  totalTokens: z.number().int().nonnegative().nullable(),
}))
export type TokenUsage = z.infer<typeof TokenUsage>

/** How a job's charged amount was found. */
export const ChargeBasis = onFirstUse(() => z.enum([
  /** From the provider's token usage and the model's published token prices. */
  'tokens',
  /** The provider's own figure in its reply (getimg's usage.total_cost). */
  'provider',
  /** The profile's list price per image (no usage in the reply). */
  'table',
  /** Calls of one job were charged on different bases. */
  'mixed',
]))
export type ChargeBasis = z.infer<typeof ChargeBasis>

/** Adds two usages part by part; a part stays null only where both are null. */
export function addUsage(a: TokenUsage | null, b: TokenUsage | null): TokenUsage | null {
  if (!a) return b
  if (!b) return a
  const sum = (x: number | null, y: number | null) => (x === null && y === null ? null : (x ?? 0) + (y ?? 0))
  return {
    inputTokens: sum(a.inputTokens, b.inputTokens),
    inputTextTokens: sum(a.inputTextTokens, b.inputTextTokens),
    inputImageTokens: sum(a.inputImageTokens, b.inputImageTokens),
    outputTokens: sum(a.outputTokens, b.outputTokens),
    totalTokens: sum(a.totalTokens, b.totalTokens),
  }
}
