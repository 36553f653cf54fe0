import { ApiError } from '../../../shared/api/errors'
import { parseSizeText, Resolution, type ProfileSettings, type ProviderSummary, type SizeSpec } from '../../../shared/api'
import { DEFAULT_TIMEOUT_MS } from './http/provider-http'
import type { DialectAdapter } from './dialect'
import { urlForDisplay } from './http/url-credentials'
import type { ProviderProfile } from './profile'

export interface RegisteredProvider {
  profile: ProviderProfile
  origin: 'builtin' | 'custom'
  overridden: boolean
  /** What the user saved for this profile, if anything. */
  settings: ProfileSettings | null
  adapter: DialectAdapter
}

/** Profiles by id, each paired with the adapter of its dialect. */
export class ProviderRegistry {
  private readonly providers = new Map<string, RegisteredProvider>()

  register(
    profile: ProviderProfile,
    adapter: DialectAdapter,
    meta: { origin?: 'builtin' | 'custom'; settings?: ProfileSettings } = {},
  ): void {
    const settings = meta.settings ?? null
    this.providers.set(profile.id, {
      profile,
      adapter,
      origin: meta.origin ?? 'builtin',
      overridden: settings?.kind === 'override',
      settings,
    })
  }

  unregister(id: string): void {
    this.providers.delete(id)
  }

  get(id: string): RegisteredProvider {
    const found = this.providers.get(id)
    if (!found) {
      throw new ApiError('bad_input', `Unknown provider "${id}".`, {
        field: 'provider',
        fix: `Use one of: ${[...this.providers.keys()].join(', ')}.`,
      })
    }
    return found
  }

  has(id: string): boolean {
    return this.providers.has(id)
  }

  list(): RegisteredProvider[] {
    return [...this.providers.values()]
  }
}

/** The sizes a profile offers, as values the interface shows without parsing. */
function offeredSizes(rule: ProviderProfile['sizes']): SizeSpec[] {
  if (rule.kind === 'pixels') {
    // Profile data spells pixel sizes as "WxH" (custom profiles are checked against that on save).
    const listed = rule.suggested.map(parseSizeText).filter((s): s is SizeSpec => s !== undefined)
    return rule.auto ? [...listed, { auto: true }] : listed
  }
  return Object.entries(rule.matrix).flatMap(([tier, aspects]) => {
    const resolution = Resolution.safeParse(tier)
    return resolution.success ? aspects.map((aspect) => ({ aspect, resolution: resolution.data })) : []
  })
}

export function summarize({ profile: p, origin, overridden, settings }: RegisteredProvider): ProviderSummary {
  return {
    id: p.id,
    name: p.name,
    dialect: p.dialect,
    // A row saved before credentials in base URLs were refused is shown without them.
    baseUrl: urlForDisplay(p.baseUrl),
    needsKey: p.auth !== 'none',
    origin,
    overridden,
    sizeMode: p.sizes.kind,
    sizes: offeredSizes(p.sizes),
    formats: p.formats,
    maxImagesPerCall: p.maxImagesPerCall,
    currency: p.pricing.currency,
    prices: p.pricing.tiers.map((t) => ({ tier: t.tier, price: t.price, ...(t.maxLongSide !== undefined ? { maxLongSide: t.maxLongSide } : {}) })),
    priceSource: p.pricing.source,
    typicalLatencyMs: p.typicalLatencyMs,
    auth: p.auth,
    modelId: p.modelId,
    customSizes: p.sizes.kind === 'pixels' && p.sizes.custom ? { ...p.sizes.custom } : null,
    references: p.refs ? { accepts: [...p.refs.accepts], maxCount: p.refs.maxCount, maxFileBytes: p.refs.maxFileBytes, mask: p.refs.mask, maxMaskBytes: p.refs.maxMaskBytes } : null,
    options: {
      inputFidelity: p.options?.inputFidelity ?? false,
      moderation: Boolean(p.options?.moderation),
      user: p.options?.user ?? false,
    },
    tokenPrices: p.tokenPrices ? { ...p.tokenPrices } : null,
    maxPromptLength: p.maxPromptLength,
    streaming: p.streaming === true,
    unsupportedOptions: [...(p.unsupportedOptions ?? [])],
    concurrency: p.concurrency,
    requestsPerMinute: p.requestsPerMinute ?? null,
    timeoutSeconds: Math.round((p.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000),
    freeKeyCheck: p.keyCheck !== undefined,
    settings: settings && settings.baseUrl !== undefined ? { ...settings, baseUrl: urlForDisplay(settings.baseUrl) } : settings,
  }
}
