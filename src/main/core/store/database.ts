import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs'
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
  if (existed) checkFileBeforeOpening(file)
  refuseUnwritableFolder(file)
  // After a crash the log beside the file holds committed pages. A read-write connection that is
  // closed copies them into the file (a checkpoint), which must not happen to a file we refuse:
  // such a library is checked through a read-only connection first, which never checkpoints.
  const hotLog = existed && hasContent(`${file}-wal`)
  if (hotLog) checkReadOnly(file)
  let db: Database
  try {
    db = new BetterSqlite3(file, { fileMustExist: existed })
  } catch (err) {
    throw refuseFullDisk(file) ?? refuse(file, `it cannot be opened (${(err as Error).message})`)
  }
  try {
    checkIdentity(db, file, existed)
    refuseNewer(db, file, migrations)
    if (existed && !hotLog && !closedCleanly(file)) checkPages(db, file)
    // The mark vouches for the file as it was at one close: from here on this connection may
    // change it, and a crash must leave no mark behind. (A refused file keeps its mark: refusing
    // writes nothing.)
    if (existed) forgetCleanClose(file)
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

/**
 * What can be told from the bytes alone, before SQLite touches the file: a folder, an empty file
 * (an interrupted copy or a sync placeholder, not an empty library to fill: writing into it could
 * be synced over the real one), a file that is not SQLite, and one cut short (SQLite would open
 * it and only fail later, after we had written to it).
 */
function checkFileBeforeOpening(file: string): void {
  const info = statSync(file)
  if (info.isDirectory()) throw refuse(file, 'it is a folder, not a database file')
  if (info.size === 0) {
    throw new ApiError('unavailable', `Refused to use ${file}: it is empty (0 bytes), so it is not a Proofsheet library; an interrupted copy leaves such a file. It was left untouched.`, {
      field: 'home',
      remedy: { code: 'library', problem: 'empty_file' },
    })
  }
  const header = Buffer.alloc(100)
  const fd = openSync(file, 'r')
  let read: number
  try {
    read = readSync(fd, header, 0, header.length, 0)
  } finally {
    closeSync(fd)
  }
  if (read < header.length || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw refuse(file, 'it is damaged or not a database (it does not start with a SQLite header)')
  }
  const rawPageSize = header.readUInt16BE(16)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  const pages = header.readUInt32BE(28)
  // The page count in the header is only trusted when written by a SQLite that keeps it current.
  const countIsValid = header.readUInt32BE(92) === header.readUInt32BE(24)
  if (countIsValid && pages > 0 && info.size < pageSize * pages) {
    throw refuse(file, `it is damaged: cut short at ${info.size} of ${pageSize * pages} bytes`)
  }
}

/** Opening needs to write (the WAL index beside the file, then the database itself). */
function refuseUnwritableFolder(file: string): void {
  for (const path of [dirname(file), file]) {
    try {
      accessSync(path, constants.W_OK)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') continue
      const where = code === 'EROFS' ? 'is on a read-only disk' : 'cannot be written by this user'
      throw new ApiError('unavailable', `The library at ${file} ${where} (${code}); Proofsheet writes its database there, so it did not open it. It was left untouched.`, {
        field: 'home',
        remedy: { code: 'library', problem: code === 'EROFS' ? 'read_only' : 'not_writable', then: 'try_again' },
      })
    }
  }
}

/** Below this, SQLite cannot make its WAL index and log beside the file. */
const OPEN_ROOM_BYTES = 1024 * 1024

/**
 * On a full disk SQLite fails to open with "disk I/O error" (it cannot create the WAL index),
 * which must not be reported as a damaged library: the fix is to free space, not to move it.
 */
function refuseFullDisk(file: string): ApiError | null {
  let free: number
  try {
    const fs = statfsSync(dirname(file))
    free = Number(fs.bavail) * Number(fs.bsize)
  } catch {
    return null
  }
  if (free >= OPEN_ROOM_BYTES) return null
  return new ApiError('unavailable', `The disk holding the library at ${file} is full (${free} bytes free), so its database could not be opened. It was left untouched.`, {
    field: 'home',
    remedy: { code: 'library', problem: 'disk_full', then: 'try_again' },
  })
}

function checkIdentity(db: Database, file: string, existed: boolean): void {
  let appId: number
  let tables: number
  try {
    appId = db.pragma('application_id', { simple: true }) as number
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n
  } catch (err) {
    throw refuseFullDisk(file) ?? refuse(file, `it is damaged or not a database (${(err as Error).message})`)
  }
  if (appId === APPLICATION_ID) return
  if (existed && (appId !== 0 || tables > 0)) throw refuse(file, 'it belongs to another program')
  db.pragma(`application_id = ${APPLICATION_ID}`)
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0
  } catch {
    return false
  }
}

function checkReadOnly(file: string): void {
  let db: Database
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw refuse(file, `it cannot be opened (${(err as Error).message})`)
  }
  try {
    checkPages(db, file)
  } finally {
    db.close()
  }
}

/**
 * Damage inside the file (a bad sector, a torn sync, bytes overwritten) passes the header checks
 * and surfaces later as "database disk image is malformed" in whichever call reads that page,
 * perhaps after this process has written elsewhere in the file. quick_check reads every page
 * of every table and index once (no index-against-table cross-check, which integrity_check adds
 * and which would cost a sort per index), before anything here writes: a damaged file is
 * refused whole, byte-identical, instead of being used until the bad page is hit.
 */
function checkPages(db: Database, file: string): void {
  let first: string
  try {
    const rows = db.pragma('quick_check(1)') as { quick_check: string }[]
    first = rows[0]?.quick_check ?? 'ok'
  } catch (err) {
    throw refuseFullDisk(file) ?? refuseDamaged(file, (err as { code?: string }).code ?? 'SQLITE_CORRUPT')
  }
  if (first !== 'ok') throw refuseDamaged(file, 'quick_check')
}

/**
 * quick_check reads every page, which on a large library is most of a second at every open. A
 * file that is, to the nanosecond, as our own clean close left it (same device and inode, size,
 * modification and change times: no byte written since, by us or by anything else) has nothing
 * new to check, so the check is skipped for it. The mark that records this is written beside the
 * file by closeDatabase after the log has been folded in, and removed at the next open.
 *
 * What still gets the full check: a crash (no mark, or a log to replay), a file written since the
 * close (a copy or sync tool, a torn write, bytes overwritten: each moves the change time, which
 * no program can set back), a file moved or restored (another inode). What it trusts: a disk that
 * returns other bytes than were written without any write (silent media decay); such damage is
 * still named when a call reads the page (storage-check.ts), never used silently.
 */
const CLEAN_CLOSE_SUFFIX = '-closed'
const CLEAN_CLOSE_FORMAT = 'proofsheet-clean-close 1'

function fileState(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true })
    return `dev=${s.dev} ino=${s.ino} size=${s.size} mtime=${s.mtimeNs} ctime=${s.ctimeNs}`
  } catch {
    return null
  }
}

/** True when the mark beside `file` describes it exactly as it is now. */
export function closedCleanly(file: string): boolean {
  let mark: string
  try {
    mark = readFileSync(`${file}${CLEAN_CLOSE_SUFFIX}`, 'utf8')
  } catch {
    return false
  }
  const state = fileState(file)
  return state !== null && mark === `${CLEAN_CLOSE_FORMAT}\n${state}\n`
}

/** Best effort: a mark left behind stops matching at the first write to the file anyway. */
function forgetCleanClose(file: string): void {
  try {
    rmSync(`${file}${CLEAN_CLOSE_SUFFIX}`, { force: true })
  } catch {
    // The folder was found writable just before; nothing here is worth refusing the library for.
  }
}

/**
 * Closes the connection and, when that left the whole library in the file (this was the last
 * connection, so SQLite folded the log in and removed it), marks the file as closed cleanly.
 * Never throws for the mark: one that cannot be written only means a full check at the next open.
 */
export function closeDatabase(db: Database): void {
  if (!db.open) return
  const file = db.name
  db.close()
  // Another process still has the library open (its log remains): it will mark it when it closes.
  if (db.memory || existsSync(`${file}-wal`)) return
  const state = fileState(file)
  if (state === null) return
  const mark = `${file}${CLEAN_CLOSE_SUFFIX}`
  try {
    // Whole or not at all: a torn mark would only fail to match, but a rename keeps it simple.
    writeFileSync(`${mark}.tmp`, `${CLEAN_CLOSE_FORMAT}\n${state}\n`)
    renameSync(`${mark}.tmp`, mark)
  } catch {
    try {
      rmSync(`${mark}.tmp`, { force: true })
    } catch {
      // A folder that took no mark takes no clean-up either; the next open checks every page.
    }
  }
}

function refuseDamaged(file: string, found: string): ApiError {
  // Only the check's name or SQLite's code: its report can quote pieces of rows.
  return new ApiError('unavailable', `Refused to use ${file}: it is damaged inside (${found} found malformed pages). It was left untouched.`, {
    field: 'home',
    remedy: { code: 'library', problem: 'damaged' },
  })
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
      { field: 'home', remedy: { code: 'library', problem: 'newer_version' } },
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
    remedy: { code: 'library', problem: 'not_a_library' },
  })
}
