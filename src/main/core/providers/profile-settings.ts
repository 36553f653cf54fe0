import { CUSTOM_PROFILE_SIZES, USER_PRICE_SOURCE, type CustomProfile, type ProfileOverride } from '../../../shared/api'
import type { PriceTier, ProviderProfile } from './profile'

/** A built-in profile with the user's changes on top; everything not overridden stays as shipped. */
export function applyOverride(profile: ProviderProfile, o: ProfileOverride): ProviderProfile {
  return {
    ...profile,
    ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
    ...(o.auth !== undefined ? { auth: o.auth } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.requestsPerMinute !== undefined ? { requestsPerMinute: o.requestsPerMinute } : {}),
    ...(o.timeoutSeconds !== undefined ? { timeoutMs: o.timeoutSeconds * 1000 } : {}),
    pricing:
      o.prices !== undefined
        ? { ...profile.pricing, tiers: o.prices.map(tier), source: o.priceSource ?? USER_PRICE_SOURCE }
        : profile.pricing,
  }
}

/** A user's OpenAI-compatible endpoint as a profile of the openai-sync dialect. */
export function customProfile(c: CustomProfile): ProviderProfile {
  return {
    id: c.id,
    name: c.name,
    dialect: 'openai-sync',
    baseUrl: c.baseUrl,
    auth: c.auth,
    modelId: c.modelId,
    sizes: {
      kind: 'pixels',
      suggested: c.sizes,
      custom: c.customSizes ? { ...CUSTOM_PROFILE_SIZES } : null,
    },
    formats: c.formats,
    fields: { format: c.formatField },
    refs:
      c.references === 'none'
        ? null
        : { accepts: c.references === 'file+url' ? ['file', 'url'] : [c.references], maxCount: 16, maxFileBytes: 50 * 1024 * 1024, mask: false, maxMaskBytes: 0 },
    maxImagesPerCall: c.maxImagesPerCall,
    maxImagesPerJob: 10,
    maxPromptLength: 32000,
    pricing: { currency: c.currency, tiers: c.prices.map(tier), source: c.priceSource },
    typicalLatencyMs: 60_000,
    concurrency: c.concurrency,
    timeoutMs: c.timeoutSeconds * 1000,
    ...(c.requestsPerMinute !== undefined ? { requestsPerMinute: c.requestsPerMinute } : {}),
    safeToResubmit: false,
  }
}

function tier(t: { tier: string; price: number; maxLongSide?: number | undefined }): PriceTier {
  return t.maxLongSide !== undefined ? { tier: t.tier, price: t.price, maxLongSide: t.maxLongSide } : { tier: t.tier, price: t.price }
}
