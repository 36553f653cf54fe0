import { roundMoney, sizeLabel, type Estimate, type SizeSpec } from '../../../shared/api'
import { priceTierOf } from '../../../shared/sizes/size-price'
import type { PriceTier, ProviderProfile } from '../providers/profile'

/** The tier that prices one image of this size (src/shared/sizes/size-price.ts has the rule). */
export function priceTierFor(profile: ProviderProfile, size: SizeSpec): PriceTier | null {
  return priceTierOf(profile.pricing.tiers, size, autoLongSide(profile))
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
