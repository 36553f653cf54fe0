import { accessSync, constants, statfsSync } from 'node:fs'
import { join } from 'node:path'
import { ApiError, type SizeSpec } from '../../../shared/api'
import { formatBytes } from '../../../shared/format/bytes'

/**
 * Whether the library folder can take more work: a full disk, a read-only mount or a folder this
 * user may not write to. The queue asks before it sends a job (so no money is spent on an image
 * that cannot be stored) and maps failed writes here after the fact. Only codes that mean "the
 * folder cannot take writes" count; anything else stays an ordinary failure.
 */
export type StorageProblemCode = 'disk_full' | 'read_only' | 'not_writable' | 'damaged'

export interface StorageProblem {
  code: StorageProblemCode
  /** What is wrong, in words to show as they are. What to do is each door's to say, from the code. */
  message: string
}

/** Errno values (Node) and SQLite result codes (better-sqlite3) that mean "cannot write here". */
const CODES: Readonly<Record<string, StorageProblemCode>> = {
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  SQLITE_FULL: 'disk_full',
  EROFS: 'read_only',
  SQLITE_READONLY: 'read_only',
  SQLITE_READONLY_DBMOVED: 'read_only',
  SQLITE_READONLY_DIRECTORY: 'read_only',
  SQLITE_READONLY_CANTINIT: 'read_only',
  SQLITE_READONLY_CANTLOCK: 'read_only',
  SQLITE_READONLY_RECOVERY: 'read_only',
  // The database file itself is damaged (pages overwritten, a torn copy): no write may follow,
  // since SQLite would build on pages it cannot read; the file is kept as it is for a restore.
  SQLITE_CORRUPT: 'damaged',
  SQLITE_CORRUPT_VTAB: 'damaged',
  SQLITE_CORRUPT_SEQUENCE: 'damaged',
  SQLITE_CORRUPT_INDEX: 'damaged',
  SQLITE_NOTADB: 'damaged',
  EACCES: 'not_writable',
  EPERM: 'not_writable',
}

/**
 * Room a job needs before it may be sent: its images at 4 bytes a pixel (more than any PNG, JPEG
 * or WebP of them takes), plus a margin for thumbnails and the database's own writes.
 */
export const STORAGE_MARGIN_BYTES = 4 * 1024 * 1024

export function bytesNeededFor(size: SizeSpec, images: number): number {
  // An aspect ratio at a tier is at most tier x tier pixels (its longest side is the tier).
  // `auto` picks at most 1536 px a side (OpenAI's reply sizes); counted as a square of that.
  const pixels = 'auto' in size ? 1536 ** 2 : 'width' in size ? size.width * size.height : (TIER_SIDE[size.resolution] ?? 4096) ** 2
  return images * pixels * 4 + STORAGE_MARGIN_BYTES
}

const TIER_SIDE: Readonly<Record<string, number>> = { '1K': 1024, '2K': 2048, '4K': 4096 }

/** The storage problem behind an error (following `cause`), or null if it is something else. */
export function storageProblemOf(err: unknown, home: string | null): StorageProblem | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    const kind = typeof code === 'string' ? CODES[code] : undefined
    if (kind) return describeProblem(kind, home, code as string)
  }
  return null
}

/**
 * Checks the library folder now, without writing: free space (statfs) and write permission on
 * the folder and its database (access(2) reports EROFS for a read-only mount, even for root).
 */
export function checkStorage(home: string, bytesNeeded: number): StorageProblem | null {
  // images/ and thumbs/ may be other disks (a symlink or mount to a bigger one): check each.
  for (const path of [home, join(home, 'library.sqlite'), join(home, 'images'), join(home, 'thumbs')]) {
    try {
      accessSync(path, constants.W_OK)
      if (path.endsWith('.sqlite')) continue
      const fs = statfsSync(path)
      const free = Number(fs.bavail) * Number(fs.bsize)
      if (free < bytesNeeded || Number(fs.ffree) === 0) {
        return describeProblem('disk_full', home, `${formatBytes(free, 'bytes')} free in ${path}, ${formatBytes(bytesNeeded, 'bytes')} needed`)
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue // made on first write
      const problem = storageProblemOf(err, home)
      if (problem) return problem
      throw err
    }
  }
  return null
}

/**
 * For a call whose database write failed (queueing jobs, starring an image): the same words as an
 * ApiError instead of "unexpected problem". Only SQLite's codes count: the database is always in
 * the library folder, while an errno may come from the network or from an export's own folder.
 * SQLite rolls a failed write back whole, so nothing of the call was saved.
 */
export function storageApiError(err: unknown): ApiError | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('SQLITE_') || !CODES[code]) return null
  const problem = describeProblem(CODES[code], null, code)
  const remedy = { code: 'library', problem: problem.code, then: 'try_again' } as const
  // `library`, not `home`: the folder is fine and the CLI exits 2 for it (a library to restore is
  // bad input like a refused --home), while a full disk stays exit 1 (the same input works later).
  if (problem.code === 'damaged') return new ApiError('unavailable', problem.message, { field: 'library', remedy })
  return new ApiError('unavailable', `${problem.message} Nothing was saved.`, { field: 'home', remedy })
}

function describeProblem(code: StorageProblemCode, home: string | null, detail: string): StorageProblem {
  const folder = home ? `the library folder ${home}` : 'the library folder'
  switch (code) {
    case 'disk_full':
      return { code, message: `The disk holding ${folder} is full (${detail}).` }
    case 'read_only':
      return { code, message: `${home ? `The library folder ${home}` : 'The library folder'} is on a read-only disk (${detail}).` }
    case 'damaged':
      return {
        code,
        message: `The library database in ${folder} is damaged (${detail}: SQLite found malformed pages), so Proofsheet stopped writing to it. The file was left as it is.`,
      }
    case 'not_writable':
      return { code, message: `Proofsheet may not write to ${folder} (${detail}).` }
  }
}

