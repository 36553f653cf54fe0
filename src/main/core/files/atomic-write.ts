import { createHash, randomBytes } from 'node:crypto'
import type { Dirent } from 'node:fs'
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { processIsAlive } from './process-alive'

/**
 * Writing a file so that a crash or power cut leaves the old file or the new one, never half of
 * one: temp file in the same folder (rename stays on one filesystem), fsync, rename, fsync the
 * folder. Every file Proofsheet writes goes through here; temp names start with TEMP_PREFIX so an
 * orphan sweep can recognise leftovers.
 */
export const TEMP_PREFIX = '.tmp-'

export async function writeFileAtomic(path: string, data: Uint8Array | string, options: { mode?: number } = {}): Promise<void> {
  const staged = await stageFile(path, data, options)
  try {
    await staged.place()
  } catch (err) {
    await staged.discard()
    throw err
  }
  await syncDirectory(dirname(path))
}

/** A file written whole and fsynced under a temp name beside its final path, not yet renamed. */
export interface StagedFile {
  readonly path: string
  /** Where the bytes are until place(): a file that may be read, never written. */
  readonly tempPath: string
  /** Renames it to its final path. The caller then fsyncs the folder (syncDirectory). */
  place(): Promise<void>
  /** Removes the temp file; nothing is left behind. Never throws. */
  discard(): Promise<void>
}

/**
 * The first half of writeFileAtomic, for a caller that writes several files side by side and
 * renames them only once every one is durable (and whatever check it runs meanwhile has passed):
 * until place() nothing exists under the final name. On failure the temp file is already gone.
 */
export async function stageFile(path: string, data: Uint8Array | string, options: { mode?: number } = {}): Promise<StagedFile> {
  const dir = dirname(path)
  const tempPath = join(dir, tempNameFor(basename(path)))
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    // The folder is there for all but the first file of a month: make it (and fsync its parents)
    // only when the temp file cannot be created for want of it.
    handle = await open(tempPath, 'wx', options.mode ?? 0o644).catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      await ensureDirectory(dir)
      return open(tempPath, 'wx', options.mode ?? 0o644)
    })
    await writeWhole(handle, data)
    await handle.sync()
    await handle.close()
    handle = undefined
  } catch (err) {
    await handle?.close().catch(() => undefined)
    await unlink(tempPath).catch(() => undefined)
    throw err
  }
  return {
    path,
    tempPath,
    place: () => rename(tempPath, path),
    discard: () => unlink(tempPath).catch(() => undefined),
  }
}

/** Bytes in as few writes as the kernel takes (writeFile would cut them in 512 KB pieces). */
async function writeWhole(handle: Awaited<ReturnType<typeof open>>, data: Uint8Array | string): Promise<void> {
  if (typeof data === 'string') return handle.writeFile(data)
  for (let at = 0; at < data.byteLength; ) {
    const { bytesWritten } = await handle.write(data, at, data.byteLength - at)
    at += bytesWritten
  }
}

/** mkdir -p, then fsync the parents of every folder it created so the new folders are durable too. */
export async function ensureDirectory(dir: string): Promise<void> {
  const firstCreated = await makeDirectories(dir)
  if (firstCreated === undefined) return
  const parents: string[] = []
  let current = dir
  while (current !== firstCreated && dirname(current) !== current) {
    current = dirname(current)
    parents.push(current)
  }
  parents.push(dirname(firstCreated))
  for (const parent of parents) await syncDirectory(parent)
}

/** Which machine made a temp file: its pid means something on that machine only. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
/** Enough of the target's name to tell what a leftover was, short enough for any filesystem. */
const TARGET_PART_BYTES = 96

/**
 * A temp name beside `target` that says who made it: `.tmp-NAME-HOST.PID-RANDOM`. A later sweep
 * can then remove a dead writer's leftover at once (same host, pid gone) and leave a live one's.
 */
export function tempNameFor(target: string): string {
  let part = ''
  for (const char of target) {
    if (Buffer.byteLength(part + char) > TARGET_PART_BYTES) break
    part += char
  }
  return `${TEMP_PREFIX}${part}-${HOST_TAG}.${process.pid}-${randomBytes(6).toString('hex')}`
}

/** Our temp names: with the writer's host and pid, and the older form without them. */
const OWNED_TEMP = /^\.tmp-.*-([0-9a-f]{8})\.(\d+)-[0-9a-f]{12}$/
const OLDER_TEMP = /^\.tmp-.*-[0-9a-f]{12}$/

/**
 * Whether a file last written at `mtimeMs` may still be in another writer's hands, so a sweep
 * leaves it. `minAgeMs` 0 takes any age: a file written this very millisecond has an mtime a
 * fraction past Date.now(), and "younger than 0 ms" would spare it by chance.
 */
export function tooYoungToSweep(mtimeMs: number, now: number, minAgeMs: number): boolean {
  return minAgeMs > 0 && now - mtimeMs < minAgeMs
}

/**
 * For a folder that is not ours alone (an export's target): removes only temp files whose names
 * Proofsheet makes (tempNameFor, and the older `.tmp-NAME-RANDOM`), and of those only the ones
 * whose writer died on this machine, or that are older than `minAgeMs` (a writer on another
 * machine, or an older version). Another program's `.tmp-` file has another shape and stays.
 */
export async function sweepStaleTempFiles(dir: string, options: { minAgeMs: number; now?: number }): Promise<string[]> {
  return sweepFolder(dir, options, (name) => {
    if (!OLDER_TEMP.test(name)) return 'keep'
    const owner = OWNED_TEMP.exec(name)
    const deadWriter = owner !== null && owner[1] === HOST_TAG && !processIsAlive(Number(owner[2]))
    return deadWriter ? 'remove' : 'remove-if-old'
  })
}

/**
 * mkdir -p that reports the real reason: Node's recursive mkdir says ENOENT when it could not make
 * a missing parent, where the disk said EROFS or ENOSPC, and the queue pauses only on the latter.
 */
async function makeDirectories(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    const levels: string[] = []
    for (let level = dir; dirname(level) !== level; level = dirname(level)) levels.unshift(level)
    let firstCreated: string | undefined
    for (const level of levels) {
      try {
        await mkdir(level)
        firstCreated ??= level
      } catch (levelErr) {
        if ((levelErr as NodeJS.ErrnoException).code !== 'EEXIST') throw levelErr
      }
    }
    return firstCreated // a parent appeared meanwhile, and the rest could be made after all
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync, and NTFS journals the rename itself.
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } catch (err) {
    // Some filesystems (network mounts, FUSE) do not support fsync on a directory.
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err
  } finally {
    await handle.close()
  }
}

/**
 * Removes the temp files a crash left in `dir` (not below it): names starting with TEMP_PREFIX,
 * older than `minAgeMs`. Younger ones may be a write still in progress in another process that
 * shares the folder, so the margin should be far longer than any write takes. Returns the names
 * removed; a missing folder has none.
 */
export async function sweepTempFiles(dir: string, options: { minAgeMs: number; now?: number }): Promise<string[]> {
  return sweepFolder(dir, options, (name) => (name.startsWith(TEMP_PREFIX) ? 'remove-if-old' : 'keep'))
}

/** What a sweep does with one file of the folder, by its name. */
type SweepVerdict = 'keep' | 'remove' | 'remove-if-old'

/** The walk both sweeps share; each decides by name, the walk applies the age margin and the removal. */
async function sweepFolder(
  dir: string,
  options: { minAgeMs: number; now?: number },
  verdictFor: (name: string) => SweepVerdict,
): Promise<string[]> {
  const now = options.now ?? Date.now()
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const removed: string[] = []
  for (const entry of entries) {
    // A symlink or folder with our prefix is not something writeFileAtomic made.
    if (!entry.isFile()) continue
    const verdict = verdictFor(entry.name)
    if (verdict === 'keep') continue
    const path = join(dir, entry.name)
    try {
      if (verdict === 'remove-if-old' && tooYoungToSweep((await lstat(path)).mtimeMs, now, options.minAgeMs)) continue
      await unlink(path)
      removed.push(entry.name)
    } catch (err) {
      // Gone already: its writer finished (renamed it) or another sweep got there first.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
  return removed.sort()
}
