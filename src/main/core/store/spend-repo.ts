import type { Database, Statement } from 'better-sqlite3'
import type { BudgetScope } from '../../../shared/api'

/**
 * Spending read straight from job rows. A job's spending belongs to the moment it last started
 * (started_at), so every query here is a range over an index on that column. Amounts stay per
 * currency, and an unknown amount is counted apart (SQL NULL), never summed as zero.
 */

/** One (day, provider, key, currency) group of the jobs that started in a range. */
export interface SpendRow {
  day: string
  provider: string
  keyLabel: string | null
  currency: string
  jobs: number
  estimated: number
  estimateUnknown: number
  charged: number
  chargeUnknown: number
}

/** Known amounts summed, and the number of jobs whose amount is unknown, for one currency. */
export interface CurrencySum {
  currency: string
  amount: number
  unknown: number
  jobs: number
}

/** A time window [start, end) in epoch ms; a budget "in total" uses the whole line. */
export interface Window {
  start: number
  end: number
}
export const ALL_TIME: Window = { start: 0, end: Number.MAX_SAFE_INTEGER }

/**
 * What a job counts against a budget: its charge where known, else its estimate. A job at the
 * provider (running, or interrupted there) may still cost its whole estimate, so it counts at
 * least that. Tasks the provider failed upstream may be billed too (ToAPIs): their possible cost
 * counts beside the charge (the estimate of a resubmitted job already holds it). NULL: unknown.
 */
const COMMITTED = `CASE
    WHEN status IN ('running', 'interrupted') THEN CASE WHEN estimate_known
      THEN max(estimated_cost, CASE WHEN charge_known THEN coalesce(charged_cost, 0) ELSE 0 END + coalesce(failed_tasks_cost, 0)) END
    WHEN charge_known THEN coalesce(charged_cost, 0) + coalesce(failed_tasks_cost, 0)
    WHEN estimate_known THEN estimated_cost
  END`

const SCOPE_FILTER: Record<BudgetScope['kind'], string> = {
  all: '1',
  key: 'key_label = @target',
  batch: 'batch_id = @target',
}

export const SUMMARY_SQL = `WITH days (day, start, end) AS (
    SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(@days)
  )
  SELECT days.day AS day, jobs.provider AS provider, jobs.key_label AS keyLabel, jobs.currency AS currency,
    count(*) AS jobs,
    total(CASE WHEN estimate_known THEN estimated_cost END) AS estimated,
    sum(NOT estimate_known) AS estimateUnknown,
    total(CASE WHEN charge_known THEN coalesce(charged_cost, 0) END) AS charged,
    sum(NOT charge_known) AS chargeUnknown
  FROM days CROSS JOIN jobs
  WHERE jobs.started_at >= days.start AND jobs.started_at < days.end
  GROUP BY days.day, jobs.provider, jobs.key_label, jobs.currency`

export function committedSql(kind: BudgetScope['kind']): string {
  return `SELECT currency, total(x) AS amount, sum(x IS NULL) AS unknown, count(*) AS jobs
    FROM (SELECT currency, ${COMMITTED} AS x FROM jobs
      WHERE ${SCOPE_FILTER[kind]} AND started_at >= @start AND started_at < @end)
    GROUP BY currency`
}

/** Queued jobs that never started: what the queue is about to spend. */
export function pendingSql(kind: BudgetScope['kind']): string {
  return `SELECT currency, total(CASE WHEN estimate_known THEN estimated_cost END) AS amount,
      sum(NOT estimate_known) AS unknown, count(*) AS jobs
    FROM jobs WHERE status = 'queued' AND started_at IS NULL AND ${SCOPE_FILTER[kind]}
    GROUP BY currency`
}

type PerKind = Record<BudgetScope['kind'], Statement>
const perKind = (db: Database, sql: (kind: BudgetScope['kind']) => string): PerKind => ({
  all: db.prepare(sql('all')),
  key: db.prepare(sql('key')),
  batch: db.prepare(sql('batch')),
})

export class SpendRepo {
  private readonly summary: Statement
  private readonly committed: PerKind
  private readonly pending: PerKind
  private readonly held: Statement

  constructor(db: Database) {
    this.summary = db.prepare(SUMMARY_SQL)
    this.committed = perKind(db, committedSql)
    this.pending = perKind(db, pendingSql)
    this.held = db.prepare(`SELECT held_by AS budgetId, count(*) AS n FROM jobs
      WHERE status = 'queued' AND held_by IS NOT NULL GROUP BY held_by`)
  }

  /** Jobs that started on each of these local days, grouped. Days are [start, end) in epoch ms. */
  rows(days: readonly { day: string; start: number; end: number }[]): SpendRow[] {
    const json = JSON.stringify(days.map((d) => [d.day, d.start, d.end]))
    return this.summary.all({ days: json }) as SpendRow[]
  }

  /** What jobs in a scope that started in a window have spent or may still spend, per currency. */
  committedIn(kind: BudgetScope['kind'], target: string, window: Window): CurrencySum[] {
    return this.committed[kind].all(kind === 'all' ? { ...window } : { ...window, target }) as CurrencySum[]
  }

  pendingIn(kind: BudgetScope['kind'], target: string): CurrencySum[] {
    return this.pending[kind].all(kind === 'all' ? {} : { target }) as CurrencySum[]
  }

  /** Jobs held back per budget id. */
  heldByBudget(): Map<string, number> {
    const rows = this.held.all() as { budgetId: string; n: number }[]
    return new Map(rows.map((r) => [r.budgetId, r.n]))
  }
}
