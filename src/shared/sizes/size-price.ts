import type { SizeSpec } from '../api/size'

/**
 * Which price tier one image of a size falls in, for the engine's estimates and the size pickers
 * alike, so a price shown beside a size is the price the cost preview will charge it at.
 */

export interface TierPrice {
  tier: string
  price: number
  /** For pixel sizes: the tier applies when the longest side is at most this. */
  maxLongSide?: number
}

/**
 * The tier that prices one image of this size: by resolution name, else by longest side. `auto`
 * is priced at `autoLongSide` (the largest image auto is documented to pick; unknown: the dearest
 * tier). Null when there are no tiers: unknown is shown as unknown, never as free.
 */
export function priceTierOf<T extends TierPrice>(tiers: readonly T[], size: SizeSpec, autoLongSide = Infinity): T | null {
  const first = tiers[0]
  if (!first) return null
  if (tiers.length === 1) return first
  if ('resolution' in size) return tiers.find((t) => t.tier === size.resolution) ?? first
  const longest = 'auto' in size ? autoLongSide : Math.max(size.width, size.height)
  const ordered = [...tiers].sort((a, b) => (a.maxLongSide ?? Infinity) - (b.maxLongSide ?? Infinity))
  return ordered.find((t) => longest <= (t.maxLongSide ?? Infinity)) ?? ordered.at(-1) ?? first
}
