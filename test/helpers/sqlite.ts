/** Looking at a library database the way SQLite sees it: schema, versions, file bytes. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Database } from 'better-sqlite3'
import { openDatabase } from '../../src/main/core/store/database'
import { migrations } from '../../src/main/core/store/migrations'

export const LATEST_VERSION = migrations.at(-1)!.version

/** Opens `file` migrated up to `version` and no further (Signal's updateToVersion). */
export function openAtVersion(file: string, version: number): Database {
  return openDatabase(file, migrations.filter((m) => m.version <= version))
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export interface TableInfo {
  schema: string
  name: string
  type: 'table' | 'view' | 'shadow' | 'virtual'
  ncol: number
  wr: 0 | 1
  strict: 0 | 1
}

/** Ordinary tables of the main schema (not FTS shadow tables, not sqlite_*). */
export function userTables(db: Database): TableInfo[] {
  return (db.pragma('table_list') as TableInfo[]).filter(
    (t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'),
  )
}

export function schemaObjects(db: Database): { type: string; name: string }[] {
  return db
    .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all() as { type: string; name: string }[]
}

/** Rows of every ordinary table, for before/after comparisons across a migration. */
export function dumpTables(db: Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  // A WITHOUT ROWID table has no rowid to order by; a scan of it is already in primary-key order.
  for (const t of userTables(db)) out[t.name] = db.prepare(`SELECT * FROM "${t.name}" ${t.wr ? '' : 'ORDER BY rowid'}`).all()
  return out
}

/** The `detail` lines of EXPLAIN QUERY PLAN for a statement with its arguments. */
export function queryPlan(db: Database, sql: string, args: unknown): string[] {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const rows = (args === undefined ? stmt.all() : stmt.all(args as Record<string, unknown>)) as { detail: string }[]
  return rows.map((r) => r.detail)
}

/**
 * A stand-in for `db` that records the SQL and arguments of every statement a repository runs
 * (`all` and `get`), so a test can ask SQLite for the plan of exactly that query.
 */
export function recordingQueries(db: Database): { db: Database; ran: { sql: string; args: unknown }[] } {
  const ran: { sql: string; args: unknown }[] = []
  const bindTo = (target: object, value: unknown): unknown =>
    typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
  const spy = new Proxy(db, {
    get(target, prop) {
      if (prop !== 'prepare') return bindTo(target, Reflect.get(target, prop))
      return (sql: string) => {
        const stmt = target.prepare(sql)
        const recorded: object = new Proxy(stmt, {
          get(s, p) {
            if (p === 'all' || p === 'get') {
              return (args?: unknown) => {
                ran.push({ sql, args })
                return args === undefined ? s[p]() : s[p](args as Record<string, unknown>)
              }
            }
            const value = Reflect.get(s, p) as unknown
            if (typeof value !== 'function') return value
            // pluck(), raw() and friends return the statement itself: keep recording after them.
            return (...a: unknown[]) => {
              const out = (value as (...a: unknown[]) => unknown).apply(s, a)
              return out === s ? recorded : out
            }
          },
        })
        return recorded
      }
    },
  })
  return { db: spy, ran }
}

/**
 * A gallery as an older schema holds it, for migration tests: one finished job ('job_old') and
 * img_0..img_{n-1} in it (seq i, created_at 100 + i), each image's provider and favorite given.
 * Written in plain SQL, since the repositories speak the newest schema.
 */
export function seedOldGallery(db: Database, images: { provider: string; favorite: boolean }[]): void {
  db.prepare(
    `INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status, max_attempts,
      estimated_cost, currency, created_at, updated_at)
    VALUES ('job_old', NULL, 'openai', '{}', '{"width":1024,"height":1024}', '1024x1024', 'old job', 'succeeded', 4, 0.22, 'USD', 1, 1)`,
  ).run()
  const insert = db.prepare(`INSERT INTO images (id, job_id, seq, file, thumb, format, width, height, bytes, sha256,
      prompt, provider, favorite, created_at) VALUES (?, 'job_old', ?, ?, ?, 'png', 1024, 1024, 10, 'x', 'lamp', ?, ?, ?)`)
  images.forEach(({ provider, favorite }, i) => insert.run(`img_${i}`, i, `f${i}.png`, `t${i}.webp`, provider, favorite ? 1 : 0, 100 + i))
}
