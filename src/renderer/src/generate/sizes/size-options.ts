import { parseSizeText, sizeLabel, sizeRatio, type ProviderSummary, type SizeSpec } from '../../../../shared/api'
import type { PixelSize } from '../../../../shared/sizes/pixel-size-rules'
import { priceTierOf } from '../../../../shared/sizes/size-price'
import { pixelSizeOf, shapeOf, sizeFullName, sizeOptionName } from '../../../../shared/sizes/size-shapes'

/**
 * The provider's sizes as the pickers show them: grouped by shape (tallest to widest), each with
 * its pixels and its price per image from the provider's price table (the engine's own tier rule,
 * so the number matches the cost preview). Sizes the user typed join the group of their shape.
 */

export interface SizeOption {
  /** The form's key for it (sizeLabel): "16:9@2K", "2048x1152", "auto". */
  label: string
  spec: SizeSpec
  /** Accessible and visible name within its shape: "2K (2048 × 1152)", "1024 × 1024". */
  name: string
  /** Named on its own, shape included: "16:9 2K (2048 × 1152)". */
  fullName: string
  /** The tier a designer knows it by ("2K"), when there is one. */
  tier: string | null
  pixels: PixelSize | null
  /** Price per image; null when unknown (no price table, or `auto`, which the estimate prices). */
  price: number | null
  /** Typed by the user rather than listed by the provider. */
  custom: boolean
}

export interface ShapeGroup {
  /** "16:9", or "Auto" for the model's own choice. */
  aspect: string
  /** Width over height; null for Auto. */
  ratio: number | null
  options: SizeOption[]
}

export const AUTO_GROUP = 'Auto'

type Prices = ProviderSummary['prices']

function tierName(prices: Prices, spec: SizeSpec): string | null {
  if ('resolution' in spec) return spec.resolution
  if ('auto' in spec) return null
  const tier = priceTierOf(prices, spec)?.tier ?? null
  return tier !== null && /^\d+K$/.test(tier) ? tier : null
}

export function sizeOption(prices: Prices, spec: SizeSpec, custom = false): SizeOption {
  return {
    label: sizeLabel(spec),
    spec,
    name: sizeOptionName(spec),
    fullName: sizeFullName(spec),
    tier: tierName(prices, spec),
    pixels: pixelSizeOf(spec),
    price: 'auto' in spec ? null : (priceTierOf(prices, spec)?.price ?? null),
    custom,
  }
}

/** The provider's sizes and the chosen ones it does not list, by shape. */
export function shapeGroups(provider: ProviderSummary, chosen: readonly string[]): ShapeGroup[] {
  const listed = provider.sizes.map((spec) => sizeOption(provider.prices, spec))
  const typed = chosen
    .filter((label) => !listed.some((o) => o.label === label))
    .map((label) => parseSizeText(label))
    .filter((spec): spec is SizeSpec => spec !== undefined)
    .map((spec) => sizeOption(provider.prices, spec, true))
  const groups = new Map<string, ShapeGroup>()
  for (const option of [...listed, ...typed]) {
    const aspect = shapeOf(option.spec) ?? AUTO_GROUP
    const group = groups.get(aspect) ?? { aspect, ratio: sizeRatio(option.spec), options: [] }
    group.options.push(option)
    groups.set(aspect, group)
  }
  const area = (o: SizeOption): number => (o.pixels ? o.pixels.width * o.pixels.height : Infinity)
  for (const group of groups.values()) group.options.sort((a, b) => area(a) - area(b))
  // Tallest to widest, Auto last: the row reads like the shapes themselves.
  return [...groups.values()].sort((a, b) => (a.ratio ?? Infinity) - (b.ratio ?? Infinity))
}

/** A chosen size as the chips show it (also one the provider does not list). */
export function chosenOption(provider: ProviderSummary | undefined, label: string): SizeOption | null {
  const spec = parseSizeText(label)
  if (!spec) return null
  if (!provider) return sizeOption([], spec)
  return sizeOption(provider.prices, spec, !provider.sizes.some((s) => sizeLabel(s) === label))
}
