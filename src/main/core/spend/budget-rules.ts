import { formatAmount, roundMoney, sizeLabel, type BudgetScope, type BudgetStatus, type BudgetWarning } from '../../../shared/api'
import type { BudgetRecord } from '../store/budgets-repo'
import type { JobRecord } from '../store/records'
import { ALL_TIME, type CurrencySum, type SpendRepo, type Window } from '../store/spend-repo'
import type { Calendar } from './calendar'

/**
 * What a budget covers and how much of it is used. The queue asks `BudgetGate` before it starts a
 * job; the cost preview and the Spend view ask the same functions, so all three agree.
 *
 * Rules (see README.md here): a job counts against a budget by its charge where known, else its
 * estimate; a job at the provider counts at least its whole estimate. A job whose price is unknown,
 * or is in another currency than the budget, is held: it cannot be shown to fit.
 */

export function budgetLabel(scope: BudgetScope): string {
  const daily = scope.period === 'day'
  if (scope.kind === 'key') return `${daily ? 'Daily budget' : 'Budget'} for key "${scope.key}"`
  if (scope.kind === 'batch') return daily ? 'Daily batch budget' : 'Batch budget'
  return daily ? 'Daily budget' : 'Overall budget'
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1)

/** The window a budget looks at now: today for a daily budget, everything otherwise. */
export function budgetWindow(scope: BudgetScope, calendar: Calendar, now: number): { window: Window; day: string | null } {
  if (scope.period === 'total') return { window: ALL_TIME, day: null }
  const day = calendar.dayOf(now)
  return { window: calendar.span(day), day }
}

/** Does this budget cover a job with this key label and batch? */
export function covers(scope: BudgetScope, job: { keyLabel: string | null; batchId: string | null }): boolean {
  if (scope.kind === 'key') return job.keyLabel === scope.key
  if (scope.kind === 'batch') return job.batchId === scope.batchId
  return true
}

const scopeTarget = (scope: BudgetScope): string =>
  scope.kind === 'key' ? scope.key : scope.kind === 'batch' ? scope.batchId : ''

/** Sums in the budget's currency; jobs with unknown amounts or other currencies are counted apart. */
function inCurrency(sums: readonly CurrencySum[], currency: string): { amount: number; uncounted: number } {
  let amount = 0
  let uncounted = 0
  for (const s of sums) {
    if (s.currency === currency) {
      amount += s.amount
      uncounted += s.unknown
    } else {
      uncounted += s.jobs
    }
  }
  return { amount: roundMoney(amount), uncounted }
}

function usage(spend: SpendRepo, budget: BudgetRecord, window: Window) {
  const target = scopeTarget(budget.scope)
  const spent = inCurrency(spend.committedIn(budget.scope.kind, target, window), budget.currency)
  const queued = inCurrency(spend.pendingIn(budget.scope.kind, target), budget.currency)
  return { spent: spent.amount, uncounted: spent.uncounted, queued: queued.amount }
}

export function budgetStatus(
  spend: SpendRepo,
  calendar: Calendar,
  now: number,
  budget: BudgetRecord,
  held: ReadonlyMap<string, number>,
): BudgetStatus {
  const { window, day } = budgetWindow(budget.scope, calendar, now)
  return {
    id: budget.id,
    scope: budget.scope,
    label: budgetLabel(budget.scope),
    amount: budget.amount,
    currency: budget.currency,
    ...usage(spend, budget, window),
    held: held.get(budget.id) ?? 0,
    day,
    updatedAt: budget.updatedAt,
  }
}

/** What starting a job may still cost: its estimate less what it already charged. Null: unknown. */
export function stillToSpend(job: Pick<JobRecord, 'estimatedCost' | 'chargedCost'>): number | null {
  if (job.estimatedCost === null) return null
  return roundMoney(Math.max(0, job.estimatedCost - (job.chargedCost ?? 0)))
}

function untilWhen(scope: BudgetScope): string {
  // A batch's cap is changed or removed like any budget (budgets.set / budgets.remove).
  if (scope.kind === 'batch') return "Raise or remove the batch's cap, or cancel the rest of the batch."
  return scope.period === 'day' ? 'Raise the budget, or wait until tomorrow.' : 'Raise or remove the budget.'
}

export function unknownPriceReason(budget: BudgetRecord, what: { provider: string; size: string }): string {
  const amount = formatAmount(budget.amount, budget.currency)
  return (
    `The price of this job is unknown, so it cannot be checked against the ${lowerFirst(budgetLabel(budget.scope))} of ${amount}. ` +
    `Set a price for ${what.size} in the ${what.provider} profile, or remove the budget.`
  )
}

export function currencyReason(budget: BudgetRecord, currency: string): string {
  return (
    `This job is priced in ${currency} and the ${lowerFirst(budgetLabel(budget.scope))} is in ${budget.currency}; ` +
    `Proofsheet never converts between currencies. Remove the budget, or use a provider priced in ${budget.currency}.`
  )
}

function reachedReason(budget: BudgetRecord, spent: number, need: number): string {
  const money = (n: number): string => formatAmount(n, budget.currency)
  const when = budget.scope.period === 'day' ? 'today' : 'so far'
  return (
    `${budgetLabel(budget.scope)} of ${money(budget.amount)} reached: ${money(spent)} is spent or running ${when}, ` +
    `and this job needs ${money(need)}. ${untilWhen(budget.scope)}`
  )
}

const fits = (spent: number, need: number, amount: number): boolean => roundMoney(spent + need) <= roundMoney(amount)

export interface Hold {
  budgetId: string
  reason: string
}

/**
 * One pass of the queue over its runnable jobs. Each budget's usage is read once, then every job
 * the queue starts is added to it (`reserve`), so several jobs started in the same pass can never
 * together pass a budget that each alone would fit.
 */
export class BudgetGate {
  private readonly budgets: BudgetRecord[]
  private readonly used = new Map<string, number>()

  constructor(
    private readonly spend: SpendRepo,
    private readonly calendar: Calendar,
    private readonly now: number,
    budgets: readonly BudgetRecord[],
  ) {
    this.budgets = [...budgets]
  }

  get empty(): boolean {
    return this.budgets.length === 0
  }

  /** Null when the job may start; otherwise the first budget that stops it, and why. */
  check(job: JobRecord): Hold | null {
    for (const budget of this.budgets) {
      if (!covers(budget.scope, job)) continue
      if (job.currency !== budget.currency) return { budgetId: budget.id, reason: currencyReason(budget, job.currency) }
      const need = stillToSpend(job)
      if (need === null) return { budgetId: budget.id, reason: unknownPriceReason(budget, { provider: job.provider, size: sizeLabel(job.size) }) }
      const spent = this.usedBy(budget)
      if (!fits(spent, need, budget.amount)) return { budgetId: budget.id, reason: reachedReason(budget, spent, need) }
    }
    return null
  }

  /** The job was started: count what it may cost against every budget that covers it. */
  reserve(job: JobRecord): void {
    const need = stillToSpend(job) ?? 0
    for (const budget of this.budgets) {
      if (covers(budget.scope, job)) this.used.set(budget.id, roundMoney(this.usedBy(budget) + need))
    }
  }

  private usedBy(budget: BudgetRecord): number {
    let spent = this.used.get(budget.id)
    if (spent === undefined) {
      const { window } = budgetWindow(budget.scope, this.calendar, this.now)
      spent = usage(this.spend, budget, window).spent
      this.used.set(budget.id, spent)
    }
    return spent
  }
}

/**
 * Before anything is queued: which budgets this generation would pass, counting what is spent,
 * running and already queued in each scope. Advice only; the queue enforces.
 */
export function budgetWarnings(
  spend: SpendRepo,
  calendar: Calendar,
  now: number,
  budgets: readonly BudgetRecord[],
  request: { provider: string; currency: string; keyLabel: string | null; batchId: string | null; lines: readonly { size: string; subtotal: number | null }[] },
): BudgetWarning[] {
  const warnings: BudgetWarning[] = []
  for (const budget of budgets) {
    if (!covers(budget.scope, request)) continue
    const label = lowerFirst(budgetLabel(budget.scope))
    const money = (n: number): string => formatAmount(n, budget.currency)
    if (request.currency !== budget.currency) {
      warnings.push({ budgetId: budget.id, message: `These jobs would be held: ${lowerFirst(currencyReason(budget, request.currency))}` })
      continue
    }
    const unpriced = request.lines.find((l) => l.subtotal === null)
    if (unpriced) {
      warnings.push({
        budgetId: budget.id,
        message: `These jobs would be held: ${lowerFirst(unknownPriceReason(budget, { provider: request.provider, size: unpriced.size }))}`,
      })
      continue
    }
    const adds = roundMoney(request.lines.reduce((sum, l) => sum + (l.subtotal ?? 0), 0))
    const { window } = budgetWindow(budget.scope, calendar, now)
    const u = usage(spend, budget, window)
    const before = roundMoney(u.spent + u.queued)
    if (fits(before, adds, budget.amount)) continue
    const when = budget.scope.period === 'day' ? 'today' : 'so far'
    warnings.push({
      budgetId: budget.id,
      message:
        `This passes the ${label} of ${money(budget.amount)}: ${money(before)} is spent, running or queued ${when}, ` +
        `and this adds ${money(adds)}. Jobs past the budget will be held, not run.`,
    })
  }
  return warnings
}
