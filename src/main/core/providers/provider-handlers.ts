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
export function createProviderHandlers(deps: ProviderHandlerDeps): Pick<Handlers, keyof typeof providerRoutes> {
  return {
    'providers.list': () => ({ providers: deps.providers.list().map(summarize) }),
    'providers.save': (input) => {
      deps.catalog.save(input)
      const saved = deps.providers.get(input.id)
      return { ...summarize(saved), keyNotice: keysLeftBehind(saved.profile, deps.store.keys.list()) }
    },
    'providers.remove': (input) => ({ removed: deps.catalog.remove(input.id) }),
  }
}
