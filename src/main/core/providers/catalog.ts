import { ApiError, badInput, type Dialect, type ProfileSettings } from '../../../shared/api'
import type { ProfilesRepo } from '../store/profiles-repo'
import type { DialectAdapter } from './dialect'
import type { ProviderProfile } from './profile'
import { CREDENTIALS_FIX, hasCredentials, urlForDisplay } from './http/url-credentials'
import { applyOverride, customProfile } from './profile-settings'
import type { ProviderRegistry } from './registry'

/**
 * Keeps the registry in step with what is shipped (built-in profiles) and what the user changed
 * (overrides and custom profiles in the library). Every change goes through here, so the queue,
 * estimates and the interface always see the same profiles.
 */
export class ProviderCatalog {
  constructor(
    private readonly deps: {
      registry: ProviderRegistry
      profiles: ProfilesRepo
      builtins: readonly ProviderProfile[]
      /** One adapter per dialect: every profile can be called. */
      adapters: Record<Exclude<Dialect, 'demo'>, DialectAdapter>
      /** Whether any queued or running job still needs this provider. */
      hasPendingJobs(provider: string): boolean
      now(): number
      warn(message: string): void
    },
  ) {}

  reload(): void {
    const { registry, builtins, adapters } = this.deps
    const settings = this.deps.profiles.list((id, why) => this.deps.warn(`Ignoring saved settings for provider ${id}: ${why}`))
    const overrides = new Map(settings.flatMap((s) => (s.kind === 'override' ? [[s.id, s] as const] : [])))
    for (const profile of builtins) {
      const override = overrides.get(profile.id)
      registry.register(
        override ? applyOverride(profile, override) : profile,
        adapterFor(adapters, profile),
        override ? { settings: override } : {},
      )
    }
    for (const r of registry.list()) if (r.origin === 'custom') registry.unregister(r.profile.id)
    for (const s of settings) {
      if (s.kind === 'custom' && !builtins.some((b) => b.id === s.id)) {
        registry.register(customProfile(s), adapters['openai-sync'], { origin: 'custom', settings: s })
      }
    }
  }

  save(settings: ProfileSettings): void {
    if (settings.baseUrl !== undefined && hasCredentials(settings.baseUrl)) {
      throw badInput('baseUrl', `Refusing the base URL ${urlForDisplay(settings.baseUrl)}: it carries a user name or password, which would be kept in the library and shown in messages.`, CREDENTIALS_FIX)
    }
    const builtin = this.deps.builtins.find((b) => b.id === settings.id)
    if (settings.kind === 'override') {
      if (!builtin || builtin.auth === 'none') {
        throw badInput('id', `"${settings.id}" is not a built-in provider that can be changed.`, `Use one of: ${this.changeable().join(', ')}.`)
      }
      if (settings.prices && builtin.sizes.kind === 'aspect') checkTierNames(settings.prices, builtin)
    } else if (this.deps.registry.has(settings.id) && this.deps.registry.get(settings.id).origin === 'builtin') {
      throw badInput('id', `"${settings.id}" is the id of a built-in provider.`, 'Pick another id for your own endpoint.')
    }
    this.deps.profiles.save(settings, this.deps.now())
    this.reload()
  }

  /** Custom: removed. Built-in: back to its shipped settings. */
  remove(id: string): boolean {
    const found = this.deps.registry.get(id)
    if (found.origin === 'custom' && this.deps.hasPendingJobs(id)) {
      throw new ApiError('conflict', `Jobs for ${found.profile.name} are still queued or running.`, {
        field: 'id',
        fix: 'Cancel them or let them finish, then remove the provider.',
      })
    }
    const removed = this.deps.profiles.remove(id)
    this.reload()
    return removed
  }

  private changeable(): string[] {
    return this.deps.builtins.filter((b) => b.auth !== 'none').map((b) => b.id)
  }
}

/** Aspect-ratio providers price by resolution tier name, so an override must use those names. */
function checkTierNames(prices: readonly { tier: string }[], profile: ProviderProfile): void {
  if (profile.sizes.kind !== 'aspect') return
  const names = Object.keys(profile.sizes.matrix)
  const unknown = prices.find((p) => !names.includes(p.tier))
  if (unknown) throw badInput('prices', `${profile.name} has no "${unknown.tier}" tier.`, `Price these tiers: ${names.join(', ')}.`)
}

function adapterFor(adapters: Record<Exclude<Dialect, 'demo'>, DialectAdapter>, profile: ProviderProfile): DialectAdapter {
  if (profile.dialect === 'demo') throw new Error(`built-in profile ${profile.id} cannot use the demo dialect`)
  return adapters[profile.dialect]
}
