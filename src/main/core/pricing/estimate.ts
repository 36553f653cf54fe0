import { roundMoney, sizeLabel, type Estimate, type SizeSpec } from '../../../shared/api'
import type { PriceTier, ProviderProfile } from '../providers/profile'

/** The tier that prices one image of this size: by resolution name, else by longest side. */
export function priceTierFor(profile: ProviderProfile, size: SizeSpec): PriceTier {
  const tiers = profile.pricing.tiers
  const first = tiers[0]
  if (!first) throw new Error(`profile ${profile.id} has no price table`)
  if (tiers.length === 1) return first
  if ('resolution' in size) return tiers.find((t) => t.tier === size.resolution) ?? first
  const longest = Math.max(size.width, size.height)
  const ordered = [...tiers].sort((a, b) => (a.maxLongSide ?? Infinity) - (b.maxLongSide ?? Infinity))
  return ordered.find((t) => longest <= (t.maxLongSide ?? Infinity)) ?? ordered.at(-1) ?? first
}

export function unitPrice(profile: ProviderProfile, size: SizeSpec): number {
  return priceTierFor(profile, size).price
}

/** Cost preview for one prompt at several sizes, n images each. Pure: no network, no state. */
export function estimate(profile: ProviderProfile, sizes: readonly SizeSpec[], n: number): Estimate {
  const lines = sizes.map((size) => {
    const price = unitPrice(profile, size)
    return { size: sizeLabel(size), images: n, unitPrice: price, subtotal: roundMoney(price * n) }
  })
  return {
    provider: profile.id,
    currency: profile.pricing.currency,
    lines,
    total: roundMoney(lines.reduce((sum, l) => sum + l.subtotal, 0)),
    source: profile.pricing.source,
  }
}
