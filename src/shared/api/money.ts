import { z } from 'zod'

export const Money = z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) })
export type Money = z.infer<typeof Money>

export const EstimateLine = z.object({
  size: z.string(),
  images: z.number().int().nonnegative(),
  unitPrice: z.number().nonnegative(),
  subtotal: z.number().nonnegative(),
})
export const Estimate = z.object({
  provider: z.string(),
  currency: z.string(),
  lines: z.array(EstimateLine),
  total: z.number().nonnegative(),
  source: z.string(),
})
export type Estimate = z.infer<typeof Estimate>

/** Money is summed in micro-units so a batch total equals the sum of its lines exactly. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1e6) / 1e6
}
