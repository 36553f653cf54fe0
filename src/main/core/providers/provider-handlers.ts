import type { providerRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import { keysLeftBehind } from '../secrets/key-endpoint'
import type { Store } from '../store/store'
import type { ProviderCatalog } from './catalog'
import { summarize, type ProviderRegistry } from './registry'

export interface ProviderHandlerDeps {
  store: Pick<Store, 'keys'>
  providers: ProviderRegistry
  catalog: ProviderCatalog
}

/** The providers.* routes: the built-in and saved profiles, as the doors list and edit them. */
export function createProviderHandlers(d: ProviderHandlerDeps): Pick<Handlers, keyof typeof providerRoutes> {
  return {
    'providers.list': () => ({ providers: d.providers.list().map(summarize) }),
    'providers.save': (input) => {
      d.catalog.save(input)
      const saved = d.providers.get(input.id)
      return { ...summarize(saved), keyNotice: keysLeftBehind(saved.profile, d.store.keys.list()) }
    },
    'providers.remove': (input) => ({ removed: d.catalog.remove(input.id) }),
  }
}
