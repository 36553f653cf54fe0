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
export function withBudgetWarnings(d: BudgetWarningDeps, request: EstimateRequest, keyLabel: string | null, estimate: Estimate): Estimate {
  const budgets = d.store.budgets.list()
  if (budgets.length === 0) return estimate
  const warnings = budgetWarnings(d.store.spend, d.calendar, d.clock.now(), budgets, {
    provider: estimate.provider,
    currency: estimate.currency,
    keyLabel,
    batchId: request.batchId ?? null,
    lines: estimate.lines,
  })
  return warnings.length > 0 ? { ...estimate, budgetWarnings: warnings } : estimate
}
