import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { groupDigits } from '../format/digits'
import { NoInput, route } from './route'

/**
 * Budgets the queue enforces: a cap on what all spending, one key or one batch may cost, per local
 * day or in total. A job that would pass one is held, never sent (see core/spend/README.md).
 */

export const BudgetPeriod = onFirstUse(() => z.enum(['day', 'total']))
export type BudgetPeriod = z.infer<typeof BudgetPeriod>

/**
 * What a budget covers: all spending, one key (by label), or one batch; per local day or in total.
 * A per-batch cap is the 'batch' scope.
 */
export const BudgetScope = onFirstUse(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all'), period: BudgetPeriod }),
  z.strictObject({
    kind: z.literal('key'),
    key: z.string().trim().min(1, 'key label is empty').max(120),
    period: BudgetPeriod,
  }),
  z.strictObject({ kind: z.literal('batch'), batchId: z.string().min(1), period: BudgetPeriod.default('total') }),
]))
export type BudgetScope = z.infer<typeof BudgetScope>

/** The largest budget or batch cap, in its currency: the contract refuses more, the forms say so as typed. */
export const MAX_BUDGET_AMOUNT = 1_000_000

export const CurrencyCode = onFirstUse(() => z.string().regex(/^[A-Z]{3}$/, 'currency is a three-letter code such as USD'))

export const BudgetStatus = onFirstUse(() => z.object({
  id: z.string(),
  scope: BudgetScope,
  /** Words for the scope, e.g. "Daily budget" or 'Key "studio", per day'. */
  label: z.string(),
  amount: z.number(),
  currency: z.string(),
  /** Charged where known, else estimated, plus what running jobs may still cost, in this window. */
  spent: z.number(),
  /** Estimates of queued jobs in scope that have not started yet. */
  queued: z.number(),
  /** Jobs in scope whose amount is unknown or in another currency: not in `spent`. */
  uncounted: z.number().int(),
  /** Jobs the queue holds back because of this budget. */
  held: z.number().int(),
  /** For a daily budget: the local day the figures are for. */
  day: z.string().nullable(),
  updatedAt: z.number(),
}))
export type BudgetStatus = z.infer<typeof BudgetStatus>

export const budgetRoutes = onFirstUse(() => ({
  'budgets.list': route(NoInput, z.object({ budgets: z.array(BudgetStatus), today: z.string(), timeZone: z.string() })),
  /** Creates the budget for a scope, or changes its amount. Held jobs are looked at again at once. */
  'budgets.set': route(
    z.strictObject({
      scope: BudgetScope,
      amount: z
        .number({ error: 'amount must be a number' })
        .nonnegative('amount cannot be negative')
        .max(MAX_BUDGET_AMOUNT, `amount is over ${groupDigits(MAX_BUDGET_AMOUNT)}`),
      currency: CurrencyCode.default('USD'),
    }),
    BudgetStatus,
  ),
  'budgets.remove': route(z.strictObject({ id: z.string().min(1) }), z.object({ removed: z.boolean() })),
} as const))
