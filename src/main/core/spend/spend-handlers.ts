import type { spendRoutes } from '../../../shared/api'
import type { Clock } from '../clock'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import type { Calendar } from './calendar'
import { spendSummary } from './spend-summary'

export interface SpendHandlerDeps {
  store: Pick<Store, 'spend'>
  clock: Clock
  calendar: Calendar
}

/** The spend.* routes: what was spent, per key, provider and local day. */
export function createSpendHandlers(deps: SpendHandlerDeps): Pick<Handlers, keyof typeof spendRoutes> {
  return {
    'spend.summary': (input) => spendSummary(deps.store.spend, deps.calendar, deps.clock.now(), input),
  }
}
