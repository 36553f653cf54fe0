import { z } from 'zod'

export const Money = z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) })
export type Money = z.infer<typeof Money>

/** A null price means the profile has none set (e.g. Tokensmart until the user enters one). */
export const EstimateLine = z.object({
  size: z.string(),
  images: z.number().int().nonnegative(),
  unitPrice: z.number().nonnegative().nullable(),
  subtotal: z.number().nonnegative().nullable(),
})
export const Estimate = z.object({
  provider: z.string(),
  currency: z.string(),
  lines: z.array(EstimateLine),
  /** Null when any line has no price: a partial sum would understate the cost. */
  total: z.number().nonnegative().nullable(),
  source: z.string(),
})
export type Estimate = z.infer<typeof Estimate>

/** Money is summed in micro-units so a batch total equals the sum of its lines exactly. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6
}
