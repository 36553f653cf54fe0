import { ApiError, type KeyCheckResult, type keyRoutes } from '../../../shared/api'
import type { ProviderRegistry } from '../providers/registry'
import type { Handlers } from '../router'
import { endpointHostOf } from '../../../shared/api'
import type { KeyVault } from './key-vault'

export interface KeyHandlerDeps {
  providers: ProviderRegistry
  getVault(): Promise<KeyVault>
  /** Checks a stored key with its provider, only where that is free. */
  testKey(id: string): Promise<KeyCheckResult>
}

/** The keys.* routes. What they return is key metadata; no route here hands a secret back. */
export function createKeyHandlers(deps: KeyHandlerDeps): Pick<Handlers, keyof typeof keyRoutes> {
  return {
    'keys.list': async () => {
      const vault = await deps.getVault()
      return { keys: await vault.list(), status: vault.status }
    },
    'keys.add': async (input) => {
      // An unknown provider is refused with the list of known ones.
      if (deps.providers.get(input.provider).profile.auth === 'none') {
        throw new ApiError('bad_input', `${input.provider} needs no key.`, { field: 'provider', fix: 'Add keys for providers that need one; see providers.list (needsKey).' })
      }
      // The key is bound to where its provider points now: it is sent nowhere else.
      return (await deps.getVault()).add({ ...input, host: endpointHostOf(deps.providers.get(input.provider).profile.baseUrl) })
    },
    'keys.remove': async (input) => ({ removed: await (await deps.getVault()).remove(input.id) }),
    'keys.rotate': async (input) => {
      const vault = await deps.getVault()
      // Entering the key again is how a key follows its provider to a new base URL.
      const provider = vault.providerOf(input.id)
      const profile = provider && deps.providers.has(provider) ? deps.providers.get(provider).profile : null
      return vault.rotate(input.id, input.secret, profile ? endpointHostOf(profile.baseUrl) : null)
    },
    'keys.test': (input) => deps.testKey(input.id),
  }
}
