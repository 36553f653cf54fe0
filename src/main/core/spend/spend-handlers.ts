import { randomUUID } from 'node:crypto'
import { badInput, type Estimate, type EstimateRequest } from '../../../shared/api'
import type { Clock } from '../clock'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import { budgetStatus, budgetWarnings } from './budget-rules'
import type { Calendar } from './calendar'
import { spendSummary } from './spend-summary'

export interface SpendDeps {
  store: Store
  clock: Clock
  calendar: Calendar
  /** Wakes the queue so held jobs are looked at again after a budget changed. */
  budgetsChanged(): void
}

type SpendRouteName = 'spend.summary' | 'budgets.list' | 'budgets.set' | 'budgets.remove'

/** The spend and budget routes. */
export function createSpendHandlers(deps: SpendDeps): Pick<Handlers, SpendRouteName> {
  const status = (id: string) => {
    const budget = deps.store.budgets.get(id)!
    return budgetStatus(deps.store.spend, deps.calendar, deps.clock.now(), budget, deps.store.spend.heldByBudget())
  }
  return {
    'spend.summary': (input) => spendSummary(deps.store.spend, deps.calendar, deps.clock.now(), input),
    'budgets.list': () => {
      const now = deps.clock.now()
      const held = deps.store.spend.heldByBudget()
      return {
        budgets: deps.store.budgets.list().map((b) => budgetStatus(deps.store.spend, deps.calendar, now, b, held)),
        today: deps.calendar.dayOf(now),
        timeZone: deps.calendar.timeZone,
      }
    },
    'budgets.set': (input) => {
      if (input.scope.kind === 'batch' && deps.store.jobs.inBatch(input.scope.batchId).length === 0) {
        throw badInput('scope.batchId', `No batch with id ${input.scope.batchId}.`, 'Use the id of a batch that has jobs.')
      }
      const saved = deps.store.budgets.set({ id: `budget_${randomUUID()}`, ...input, now: deps.clock.now() })
      deps.budgetsChanged()
      return status(saved.id)
    },
    'budgets.remove': (input) => {
      const removed = deps.store.budgets.remove(input.id)
      if (removed) deps.budgetsChanged()
      return { removed }
    },
  }
}

/** The cost preview, plus the budgets queueing it would pass. */
export function withBudgetWarnings(
  deps: Pick<SpendDeps, 'store' | 'clock' | 'calendar'>,
  request: EstimateRequest,
  keyLabel: string | null,
  estimate: Estimate,
): Estimate {
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
