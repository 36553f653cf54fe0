import type { ReactNode } from 'react'
import type { BudgetWarning } from '../../../shared/api'
import './spend.css'

/** Budgets a generation would pass, shown in the cost preview before anything is queued. */
export function BudgetWarnings({ warnings }: { warnings: readonly BudgetWarning[] }): ReactNode {
  if (warnings.length === 0) return null
  return (
    <ul className="budget-warnings" aria-label="Budget warnings">
      {warnings.map((w) => (
        <li key={w.budgetId} className="budget-warning">
          {w.message}
        </li>
      ))}
    </ul>
  )
}

/** Why the queue holds a job back, on its row in the Queue. */
export function HeldNote({ reason }: { reason: string }): ReactNode {
  return (
    <p className="job-held">
      <strong>Held by a budget.</strong> {reason}
    </p>
  )
}
