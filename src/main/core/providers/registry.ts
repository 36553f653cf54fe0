import { ApiError } from '../../../shared/api/errors'
import type { ProviderSummary } from '../../../shared/api'
import type { DialectAdapter } from './dialect'
import type { ProviderProfile } from './profile'

export interface RegisteredProvider {
  profile: ProviderProfile
  origin: 'builtin' | 'custom'
  overridden: boolean
  /** Null while Proofsheet cannot speak this profile's dialect yet: listed, never queued. */
  adapter: DialectAdapter | null
}

/** Profiles by id, each paired with the adapter of its dialect. */
export class ProviderRegistry {
  private readonly providers = new Map<string, RegisteredProvider>()

  register(
    profile: ProviderProfile,
    adapter: DialectAdapter | null,
    meta: { origin?: 'builtin' | 'custom'; overridden?: boolean } = {},
  ): void {
    this.providers.set(profile.id, { profile, adapter, origin: meta.origin ?? 'builtin', overridden: meta.overridden ?? false })
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

  /** The provider, refusing one whose dialect is not implemented, before anything is queued. */
  usable(id: string): RegisteredProvider & { adapter: DialectAdapter } {
    const found = this.get(id)
    if (!found.adapter) {
      const ready = [...this.providers.values()].filter((p) => p.adapter).map((p) => p.profile.id)
      throw new ApiError('bad_input', `Proofsheet cannot generate with ${found.profile.name} yet: its ${found.profile.dialect} dialect is not built.`, {
        field: 'provider',
        fix: `Use one of: ${ready.join(', ')}. You can already store keys for ${found.profile.id}.`,
      })
    }
    return found as RegisteredProvider & { adapter: DialectAdapter }
  }

  has(id: string): boolean {
    return this.providers.has(id)
  }

  list(): RegisteredProvider[] {
    return [...this.providers.values()]
  }
}

export function summarize({ profile: p, adapter, origin, overridden }: RegisteredProvider): ProviderSummary {
  return {
    id: p.id,
    name: p.name,
    dialect: p.dialect,
    baseUrl: p.baseUrl,
    needsKey: p.auth !== 'none',
    available: adapter !== null,
    origin,
    overridden,
    sizeMode: p.sizes.kind,
    sizes:
      p.sizes.kind === 'pixels'
        ? p.sizes.suggested
        : Object.entries(p.sizes.matrix).flatMap(([res, aspects]) => aspects.map((a) => `${a}@${res}`)),
    formats: p.formats,
    maxImagesPerCall: p.maxImagesPerCall,
    currency: p.pricing.currency,
    prices: p.pricing.tiers.map((t) => ({ tier: t.tier, price: t.price })),
    priceSource: p.pricing.source,
    typicalLatencyMs: p.typicalLatencyMs,
  }
}
