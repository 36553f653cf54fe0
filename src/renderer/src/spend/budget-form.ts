import { MAX_BUDGET_AMOUNT, type BudgetPeriod, type BudgetStatus, type Input } from '../../../shared/api'

/** The budget editor's fields as typed, and what they mean once checked. */
export interface BudgetForm {
  /** 'batch' only when a batch's cap was loaded to change it (caps are set in New batch). */
  appliesTo: 'all' | 'key' | 'batch'
  key: string
  batchId: string
  period: BudgetPeriod
  amount: string
  currency: string
}

export type BudgetFormErrors = Partial<Record<'key' | 'amount', string>>

export const EMPTY_BUDGET_FORM: BudgetForm = { appliesTo: 'all', key: '', batchId: '', period: 'day', amount: '', currency: 'USD' }

const AMOUNT = /^\d+(\.\d{1,4})?$/

/** Checks the form the way a person reads it; the engine checks again. */
export function checkBudgetForm(form: BudgetForm): { errors: BudgetFormErrors; input: Input<'budgets.set'> | null } {
  const errors: BudgetFormErrors = {}
  const key = form.key.trim()
  if (form.appliesTo === 'key' && key === '') errors.key = 'Enter the label of the key this budget is for.'
  const text = form.amount.trim().replace(/^[$€£]/, '')
  if (text === '') errors.amount = 'Enter an amount, such as 5 or 12.50.'
  else if (text.startsWith('-')) errors.amount = 'A budget cannot be negative.'
  else if (!AMOUNT.test(text)) errors.amount = 'Enter the amount as a number with at most 4 decimals, such as 12.50.'
  else if (Number(text) > MAX_BUDGET_AMOUNT) errors.amount = `Enter an amount of at most ${MAX_BUDGET_AMOUNT.toLocaleString('en-US')}.`
  if (Object.keys(errors).length > 0) return { errors, input: null }
  const scope =
    form.appliesTo === 'key'
      ? { kind: 'key' as const, key, period: form.period }
      : form.appliesTo === 'batch'
        ? { kind: 'batch' as const, batchId: form.batchId, period: 'total' as const }
        : { kind: 'all' as const, period: form.period }
  return { errors, input: { scope, amount: Number(text), currency: form.currency } }
}

/** The form filled from an existing budget, to change its amount (a batch's cap included). */
export function formFor(budget: BudgetStatus): BudgetForm {
  return {
    appliesTo: budget.scope.kind,
    key: budget.scope.kind === 'key' ? budget.scope.key : '',
    batchId: budget.scope.kind === 'batch' ? budget.scope.batchId : '',
    period: budget.scope.period,
    amount: String(budget.amount),
    currency: budget.currency,
  }
}
