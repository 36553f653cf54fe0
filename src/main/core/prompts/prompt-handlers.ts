import type { promptRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import type { Store } from '../store/store'

export interface PromptHandlerDeps {
  store: Pick<Store, 'prompts'>
}

/** The prompts.* routes: the library's prompt history for recall in the prompt box. */
export function createPromptHandlers(deps: PromptHandlerDeps): Pick<Handlers, keyof typeof promptRoutes> {
  return {
    'prompts.history': (input) => ({ prompts: deps.store.prompts.recent(input.limit, input.search) }),
  }
}
