import type { Estimate, EstimateRequest } from '../../../shared/api'
import type { Clock } from '../clock'
import type { Store } from '../store/store'
import { budgetWarnings } from './budget-rules'
import type { Calendar } from './calendar'

export interface BudgetWarningDeps {
  store: Pick<Store, 'budgets' | 'spend'>
  clock: Clock
  calendar: Calendar
}

/** The cost preview, plus the budgets queueing it would pass. */
export function withBudgetWarnings(deps: BudgetWarningDeps, request: EstimateRequest, keyLabel: string | null, estimate: Estimate): Estimate {
  const budgets = deps.store.budgets.list()
  if (budgets.length === 0) return estimate
  const warnings = budgetWarnings(deps.store.spend, deps.calendar, deps.clock.now(), budgets, {
    provider: estimate.provider,
    currency: estimate.currency,
    keyLabel,
    batchId: request.batchId ?? null,
    lines: estimate.lines,
  })
  return warnings.length > 0 ? { ...estimate, budgetWarnings: warnings } : estimate
}
