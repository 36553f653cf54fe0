import { randomUUID } from 'node:crypto'
import { badInput, type Estimate, type EstimateRequest } from '../../../shared/api'
import type { Clock } from '../clock'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import { budgetStatus, budgetWarnings } from './budget-rules'
import type { Calendar } from './calendar'
import { spendSummary } from './spend-summary'

export interface SpendDeps {
  store: Pick<Store, 'budgets' | 'spend' | 'jobs'>
  clock: Clock
  calendar: Calendar
  /** Wakes the queue so held jobs are looked at again after a budget changed. */
  budgetsChanged(): void
}

type SpendRouteName = 'spend.summary' | 'budgets.list' | 'budgets.set' | 'budgets.remove'

/** The spend and budget routes. */
export function createSpendHandlers(d: SpendDeps): Pick<Handlers, SpendRouteName> {
  const status = (id: string) => {
    const budget = d.store.budgets.get(id)!
    return budgetStatus(d.store.spend, d.calendar, d.clock.now(), budget, d.store.spend.heldByBudget())
  }
  return {
    'spend.summary': (input) => spendSummary(d.store.spend, d.calendar, d.clock.now(), input),
    'budgets.list': () => {
      const now = d.clock.now()
      const held = d.store.spend.heldByBudget()
      return {
        budgets: d.store.budgets.list().map((b) => budgetStatus(d.store.spend, d.calendar, now, b, held)),
        today: d.calendar.dayOf(now),
        timeZone: d.calendar.timeZone,
      }
    },
    'budgets.set': (input) => {
      if (input.scope.kind === 'batch' && d.store.jobs.inBatch(input.scope.batchId).length === 0) {
        throw badInput('scope.batchId', `No batch with id ${input.scope.batchId}.`, 'Use the id of a batch that has jobs.')
      }
      const saved = d.store.budgets.set({ id: `budget_${randomUUID()}`, ...input, now: d.clock.now() })
      d.budgetsChanged()
      return status(saved.id)
    },
    'budgets.remove': (input) => {
      const removed = d.store.budgets.remove(input.id)
      if (removed) d.budgetsChanged()
      return { removed }
    },
  }
}

/** The cost preview, plus the budgets queueing it would pass. */
export function withBudgetWarnings(
  d: Pick<SpendDeps, 'store' | 'clock' | 'calendar'>,
  request: EstimateRequest,
  keyLabel: string | null,
  estimate: Estimate,
): Estimate {
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
