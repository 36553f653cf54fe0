import type { Database } from 'better-sqlite3'
import type { BudgetPeriod, BudgetScope } from '../../../shared/api'

export interface BudgetRecord {
  id: string
  scope: BudgetScope
  amount: number
  currency: string
  createdAt: number
  updatedAt: number
}

interface BudgetRow {
  id: string
  scope: BudgetScope['kind']
  target: string
  period: BudgetPeriod
  amount: number
  currency: string
  created_at: number
  updated_at: number
}

function toScope(row: Pick<BudgetRow, 'scope' | 'target' | 'period'>): BudgetScope {
  if (row.scope === 'key') return { kind: 'key', key: row.target, period: row.period }
  if (row.scope === 'batch') return { kind: 'batch', batchId: row.target, period: row.period }
  return { kind: 'all', period: row.period }
}

/** The column form of a scope: kind, target ('' for all spending) and period. */
export function scopeColumns(scope: BudgetScope): { scope: BudgetScope['kind']; target: string; period: BudgetPeriod } {
  const target = scope.kind === 'key' ? scope.key : scope.kind === 'batch' ? scope.batchId : ''
  return { scope: scope.kind, target, period: scope.period }
}

const toRecord = (row: BudgetRow): BudgetRecord => ({
  id: row.id,
  scope: toScope(row),
  amount: row.amount,
  currency: row.currency,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** Budgets: one per scope (kind, target, period). Setting a scope again changes its amount. */
export class BudgetsRepo {
  private readonly listStmt
  private readonly getStmt
  private readonly upsertStmt
  private readonly removeStmt

  constructor(db: Database) {
    this.listStmt = db.prepare(`SELECT * FROM budgets ORDER BY scope = 'all' DESC, scope, target, period`)
    this.getStmt = db.prepare('SELECT * FROM budgets WHERE id = ?')
    this.upsertStmt = db.prepare(`INSERT INTO budgets (id, scope, target, period, amount, currency, created_at, updated_at)
      VALUES (@id, @scope, @target, @period, @amount, @currency, @now, @now)
      ON CONFLICT (scope, target, period) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
        updated_at = excluded.updated_at
      RETURNING *`)
    this.removeStmt = db.prepare('DELETE FROM budgets WHERE id = ?')
  }

  list(): BudgetRecord[] {
    return (this.listStmt.all() as BudgetRow[]).map(toRecord)
  }

  get(id: string): BudgetRecord | undefined {
    const row = this.getStmt.get(id) as BudgetRow | undefined
    return row && toRecord(row)
  }

  /** Creates or updates the budget of a scope; `id` is used only when it is new. */
  set(input: { id: string; scope: BudgetScope; amount: number; currency: string; now: number }): BudgetRecord {
    const row = this.upsertStmt.get({ id: input.id, ...scopeColumns(input.scope), amount: input.amount, currency: input.currency, now: input.now })
    return toRecord(row as BudgetRow)
  }

  remove(id: string): boolean {
    return this.removeStmt.run(id).changes === 1
  }
}
