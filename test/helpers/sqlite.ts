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
  for (const t of userTables(db)) out[t.name] = db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all()
  return out
}

/** The `detail` lines of EXPLAIN QUERY PLAN for a statement with its arguments. */
export function queryPlan(db: Database, sql: string, args: unknown): string[] {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const rows = (args === undefined ? stmt.all() : stmt.all(args as Record<string, unknown>)) as { detail: string }[]
  return rows.map((r) => r.detail)
}
