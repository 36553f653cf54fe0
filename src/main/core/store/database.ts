import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { ApiError } from '../../../shared/api/errors'
import { migrations as allMigrations, type Migration } from './migrations'

/**
 * Opens the library database and brings its schema up to date. It refuses, without writing a
 * byte, a file that is damaged, belongs to another program, or was made by a newer Proofsheet.
 */
export const APPLICATION_ID = 0x50726f6f // "Proo": marks the file as ours

export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Database {
  const existed = existsSync(file)
  if (!existed) mkdirSync(dirname(file), { recursive: true })
  let db: Database
  try {
    db = new BetterSqlite3(file, { fileMustExist: existed })
  } catch (err) {
    throw refuse(file, `it cannot be opened (${(err as Error).message})`)
  }
  try {
    checkIdentity(db, file, existed)
    refuseNewer(db, file, migrations)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, file, migrations)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

function checkIdentity(db: Database, file: string, existed: boolean): void {
  let appId: number
  let tables: number
  try {
    appId = db.pragma('application_id', { simple: true }) as number
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n
  } catch (err) {
    throw refuse(file, `it is damaged or not a database (${(err as Error).message})`)
  }
  if (appId === APPLICATION_ID) return
  if (existed && (appId !== 0 || tables > 0)) throw refuse(file, 'it belongs to another program')
  db.pragma(`application_id = ${APPLICATION_ID}`)
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Checked before anything is written, so a newer library stays byte-identical. */
function refuseNewer(db: Database, file: string, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0
  const current = schemaVersion(db)
  if (current > latest) {
    throw new ApiError(
      'unavailable',
      `The library at ${file} was written by a newer Proofsheet (schema ${current}; this version knows up to ${latest}). It was left untouched.`,
      { field: 'home', fix: 'Update Proofsheet, or choose another library folder with --home.' },
    )
  }
}

export function migrate(db: Database, file: string, migrations: readonly Migration[]): void {
  refuseNewer(db, file, migrations)
  const current = schemaVersion(db)
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
}

function refuse(file: string, why: string): ApiError {
  return new ApiError('unavailable', `Refused to use ${file}: ${why}. It was left untouched.`, {
    field: 'home',
    fix: 'Move the file aside or choose another library folder with --home.',
  })
}
