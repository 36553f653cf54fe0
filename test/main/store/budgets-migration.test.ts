/**
 * The budgets migration, in the style of migrations.test.ts (N-1, insert, N, compare). It lives in
 * its own file so its number can change when branches merge: everything here reads the version
 * from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0004 as migrationBudgets } from '../../../src/main/core/store/migrations/0004-budgets'
import { BudgetsRepo } from '../../../src/main/core/store/budgets-repo'
import { openAtVersion, schemaObjects } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationBudgets.version

describe(`${String(V).padStart(4, '0')}-budgets`, () => {
  it('keeps existing jobs, not held, and adds budgets and the spend indexes', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    before
      .prepare(
        `INSERT INTO jobs (id, provider, params, size, size_label, prompt, status, max_attempts,
          estimated_cost, charged_cost, currency, key_label, created_at, started_at, updated_at)
        VALUES ('job_old', 'openai', '{}', '{"width":64,"height":64}', '64x64', 'old job', 'succeeded', 4,
          0.22, 0.22, 'USD', 'studio', 1, 2, 3)`,
      )
      .run()
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    // Raw SQL, not JobsRepo: the repository follows the newest schema, which may have more columns.
    const old = db.prepare(`SELECT status, charged_cost, key_label, hold_reason, held_by FROM jobs WHERE id = 'job_old'`).get()
    expect(old).toEqual({ status: 'succeeded', charged_cost: 0.22, key_label: 'studio', hold_reason: null, held_by: null })
    const names = schemaObjects(db).map((o) => o.name)
    expect(names).toEqual(expect.arrayContaining(['budgets', 'jobs_by_started', 'jobs_by_key_started']))

    const budgets = new BudgetsRepo(db)
    const daily = budgets.set({ id: 'budget_a', scope: { kind: 'all', period: 'day' }, amount: 5, currency: 'USD', now: 10 })
    // Setting the same scope again changes the amount and keeps the id.
    const again = budgets.set({ id: 'budget_b', scope: { kind: 'all', period: 'day' }, amount: 7.5, currency: 'USD', now: 11 })
    expect(again).toMatchObject({ id: daily.id, amount: 7.5, createdAt: 10, updatedAt: 11 })
    budgets.set({ id: 'budget_c', scope: { kind: 'key', key: 'studio', period: 'total' }, amount: 20, currency: 'USD', now: 12 })
    expect(budgets.list().map((b) => b.scope)).toEqual([
      { kind: 'all', period: 'day' },
      { kind: 'key', key: 'studio', period: 'total' },
    ])
    db.close()
  })

  it('refuses a negative budget and a scope without its target', () => {
    const db = openAtVersion(join(tempDir('proofsheet-migrate-'), 'library.sqlite'), V)
    const insert = db.prepare(`INSERT INTO budgets (id, scope, target, period, amount, currency, created_at, updated_at)
      VALUES (?, ?, ?, 'day', ?, 'USD', 1, 1)`)
    expect(() => insert.run('b1', 'all', '', -1)).toThrow(/CHECK/)
    expect(() => insert.run('b2', 'key', '', 5)).toThrow(/CHECK/)
    expect(() => insert.run('b3', 'all', 'studio', 5)).toThrow(/CHECK/)
    expect(() => insert.run('b4', 'project', 'x', 5)).toThrow(/CHECK/)
    db.close()
  })
})
