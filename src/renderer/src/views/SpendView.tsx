import type { ReactNode } from 'react'

/** Spend by key, provider and day, and the budgets the queue enforces. */
export function SpendView(): ReactNode {
  return (
    <main className="view-page">
      <section className="panel" aria-labelledby="spend-heading">
        <h2 id="spend-heading">Spend</h2>
        <p className="empty-state">Spend reports are coming in a later version.</p>
      </section>
    </main>
  )
}
