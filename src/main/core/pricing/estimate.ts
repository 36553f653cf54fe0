import { roundMoney, sizeLabel, type Estimate, type SizeSpec } from '../../../shared/api'
import type { PriceTier, ProviderProfile } from '../providers/profile'

/**
 * The tier that prices one image of this size: by resolution name, else by longest side. Null
 * when the profile has no prices: unknown is shown as unknown, never as free.
 */
export function priceTierFor(profile: ProviderProfile, size: SizeSpec): PriceTier | null {
  const tiers = profile.pricing.tiers
  const first = tiers[0]
  if (!first) return null
  if (tiers.length === 1) return first
  if ('resolution' in size) return tiers.find((t) => t.tier === size.resolution) ?? first
  const longest = 'auto' in size ? autoLongSide(profile) : Math.max(size.width, size.height)
  const ordered = [...tiers].sort((a, b) => (a.maxLongSide ?? Infinity) - (b.maxLongSide ?? Infinity))
  return ordered.find((t) => longest <= (t.maxLongSide ?? Infinity)) ?? ordered.at(-1) ?? first
}

/** `size: "auto"` is priced as the largest image the profile says auto picks; unknown: the dearest tier. */
function autoLongSide(profile: ProviderProfile): number {
  return profile.sizes.kind === 'pixels' && profile.sizes.auto ? profile.sizes.auto.priceAsLongSide : Infinity
}

export function unitPrice(profile: ProviderProfile, size: SizeSpec): number | null {
  return priceTierFor(profile, size)?.price ?? null
}

/** price x count, or null when the price is unknown. */
export function priceOf(profile: ProviderProfile, size: SizeSpec, images: number): number | null {
  const price = unitPrice(profile, size)
  return price === null ? null : roundMoney(price * images)
}

/** Cost preview for one prompt at several sizes, n images each. Pure: no network, no state. */
export function estimate(profile: ProviderProfile, sizes: readonly SizeSpec[], n: number): Estimate {
  const lines = sizes.map((size) => {
    return { size: sizeLabel(size), images: n, unitPrice: unitPrice(profile, size), subtotal: priceOf(profile, size, n) }
  })
  const known = lines.every((l) => l.subtotal !== null)
  return {
    provider: profile.id,
    currency: profile.pricing.currency,
    lines,
    total: known ? roundMoney(lines.reduce((sum, l) => sum + (l.subtotal ?? 0), 0)) : null,
    source: profile.pricing.source,
  }
}
