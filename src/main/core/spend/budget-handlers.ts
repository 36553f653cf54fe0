import { randomUUID } from 'node:crypto'
import { badInput, type budgetRoutes } from '../../../shared/api'
import type { Clock } from '../clock'
import type { Handlers } from '../router'
import type { Store } from '../store/store'
import { budgetStatus } from './budget-rules'
import type { Calendar } from './calendar'

export interface BudgetHandlerDeps {
  store: Pick<Store, 'budgets' | 'spend' | 'jobs'>
  clock: Clock
  calendar: Calendar
  /** Wakes the queue so held jobs are looked at again after a budget changed. */
  budgetsChanged(): void
}

/** The budgets.* routes: the caps the queue enforces. */
export function createBudgetHandlers(deps: BudgetHandlerDeps): Pick<Handlers, keyof typeof budgetRoutes> {
  const status = (id: string) => {
    const budget = deps.store.budgets.get(id)!
    return budgetStatus(deps.store.spend, deps.calendar, deps.clock.now(), budget, deps.store.spend.heldByBudget())
  }
  return {
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
