import type { SizeSpec } from '../../../shared/api'
import type { CallResult } from '../providers/dialect'
import type { ProviderProfile } from '../providers/profile'
import type { CallCharge } from '../store/records'
import { priceOf } from './estimate'
import { tokenCharge } from './token-charge'

/**
 * What one successful call cost, in order of trust: the provider's own figure (getimg), then its
 * token usage at the model's published token prices (OpenAI), else the list price per image.
 */
export function chargeForCall(profile: ProviderProfile, size: SizeSpec, result: CallResult): CallCharge {
  const usage = result.usage ?? null
  if (result.chargedCost !== null) return { amount: result.chargedCost, basis: 'provider', source: null, usage }
  const prices = profile.tokenPrices
  // Token prices are in USD; a profile priced in another currency keeps its own list price.
  if (usage && prices && profile.pricing.currency === 'USD') {
    const amount = tokenCharge(prices, usage)
    if (amount !== null) return { amount, basis: 'tokens', source: prices.source, usage }
  }
  return { amount: priceOf(profile, size, result.images.length), basis: 'table', source: null, usage }
}
