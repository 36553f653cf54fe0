/**
 * Price tables from the provider pages and the one rule every provider here shares: a charge is
 * per returned image, and a reply with no images costs nothing.
 */
import type { Ledger } from './ledger'
import { roundUsd } from './ledger'
import { longSide, type PixelSize } from './sizes'
import type { ProviderId } from './types'

export interface LongSideTier {
  tier: string
  usd: number
  /** Applies when the longest side is at most this; the last tier has none. */
  maxLongSide?: number
}

export function tierFor(size: PixelSize, tiers: readonly LongSideTier[]): LongSideTier {
  const side = longSide(size)
  const tier = tiers.find((t) => t.maxLongSide === undefined || side <= t.maxLongSide)
  if (!tier) throw new Error('price table has no open-ended last tier')
  return tier
}

export interface ImageCharge {
  provider: ProviderId
  seq: number
  images: number
  unitUsd: number | null
  basis: string
  tokens?: number
  taskId?: string
}

export function billImages(ledger: Ledger, charge: ImageCharge): void {
  if (charge.images === 0) return
  ledger.add({
    provider: charge.provider,
    requestSeq: charge.seq,
    images: charge.images,
    usd: charge.unitUsd === null ? null : roundUsd(charge.unitUsd * charge.images),
    basis: charge.basis,
    ...(charge.tokens !== undefined ? { tokens: charge.tokens } : {}),
    ...(charge.taskId !== undefined ? { taskId: charge.taskId } : {}),
  })
}
