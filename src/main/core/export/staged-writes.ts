import { webcrypto } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, lstat, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { syncDirectory, tempNameFor } from '../files/atomic-write'
import type { EncodedFile } from './convert'
import type { CopyWorkers, Hashed } from '../files/copy-workers'
import type { NameAllocator } from './naming'

/**
 * An export's files in two steps, so many can be written at once and flushed together:
 * `stageFile` writes one file under a temp name (no fsync) and hashes it; `commitStaged` fsyncs a
 * batch of them, renames each to a free final name in order and fsyncs the folder once. The
 * promise of writeFileAtomic still holds (a final name only ever points at bytes already on
 * disk), but a thousand files cost one folder fsync per batch instead of one per file, and the
 * kernel flushes the batch's data together instead of one file at a time.
 */

export interface StagedFile {
  /** Full path of the temp file in the export folder. */
  temp: string
  bytes: number
  sha256: string
}

/**
 * How a byte-for-byte output is copied: cloned where the file system can (btrfs, XFS, APFS:
 * copy-on-write, no bytes written), else copied and hashed in one read on the copy workers. Not
 * a hard link: the library never edits an image in place, but an export goes to people who do
 * (an editor saving over the file it opened), and a hard link would carry that edit into the
 * library file behind its recorded sha256. A clone shares blocks only until either side is written.
 *
 * The first clone that fails before any has worked means this file system cannot clone, and the
 * export stops trying; a failure after one worked is this file's (the copy then reports it).
 */
export class ExportCopier {
  private cloneWorks: boolean | undefined

  constructor(
    private readonly workers: () => Pick<CopyWorkers, 'copy' | 'hash'>,
    private readonly clone: (from: string, to: string) => Promise<void> = cloneFile,
  ) {}

  /** Copies `from` to the new file `to`; bytes and sha256 of what is now at `to`. */
  async copy(from: string, to: string): Promise<Hashed> {
    if (this.cloneWorks !== false) {
      try {
        await this.clone(from, to)
        this.cloneWorks = true
        return await this.workers().hash(to)
      } catch {
        this.cloneWorks ??= false
        await unlink(to).catch(() => undefined)
      }
    }
    return this.workers().copy(from, to)
  }
}

/** A clone or an error (FICLONE_FORCE never falls back to a copy of its own); never over an existing file. */
function cloneFile(from: string, to: string): Promise<void> {
  return copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE)
}

export async function stageFile(folder: string, finalNameHint: string, encoded: EncodedFile, copier: ExportCopier): Promise<StagedFile> {
  const temp = join(folder, tempNameFor(finalNameHint))
  try {
    if (encoded.copyOf !== undefined) return { temp, ...(await copier.copy(encoded.copyOf, temp)) }
    const data = encoded.data
    const handle = await open(temp, 'wx', 0o644)
    try {
      const [, hashed] = await both(handle.writeFile(data), digest(data))
      return { temp, ...hashed }
    } finally {
      await handle.close()
    }
  } catch (err) {
    await unlink(temp).catch(() => undefined)
    throw err
  }
}

/** Both results, or the first error only once both have settled: no write still running when the temp file is removed. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b])
  if (ra.status === 'rejected') throw ra.reason
  if (rb.status === 'rejected') throw rb.reason
  return [ra.value, rb.value]
}

/** Bytes sharp made are in memory already: WebCrypto hashes them on libuv's thread pool, off the main thread. */
async function digest(data: Uint8Array): Promise<Hashed> {
  const hash = await webcrypto.subtle.digest('SHA-256', data)
  return { bytes: data.byteLength, sha256: Buffer.from(hash).toString('hex') }
}

/**
 * Makes a batch final: every temp file fsynced (all at once, so the kernel can merge the
 * writeback), then each renamed under a free name in the batch's order, then one folder fsync.
 * `wanted` gives each file's wished-for name; a name taken on disk since the folder was read is
 * skipped as before, never replaced. Returns the final names in order; on a failure the temp
 * files not yet renamed are removed and the error is thrown.
 */
export async function commitStaged(
  folder: string,
  names: NameAllocator,
  batch: { staged: StagedFile; wanted: string }[],
  onRenamed: (index: number, name: string) => void,
): Promise<void> {
  let renamed = 0
  try {
    await Promise.all(batch.map(({ staged }) => syncFile(staged.temp)))
    for (const [index, { staged, wanted }] of batch.entries()) {
      const name = await freeName(folder, names, wanted)
      await rename(staged.temp, join(folder, name))
      renamed = index + 1
      onRenamed(index, name)
    }
  } finally {
    await discardStaged(batch.slice(renamed).map((b) => b.staged))
  }
  if (renamed > 0) await syncDirectory(folder)
}

export async function discardStaged(files: StagedFile[]): Promise<void> {
  await Promise.all(files.map((f) => unlink(f.temp).catch(() => undefined)))
}

/** The next name the allocator gives that is not on disk either (another program may have written one). */
export async function freeName(folder: string, names: NameAllocator, wanted: string): Promise<string> {
  for (;;) {
    const name = names.allocate(wanted)
    const taken = await lstat(join(folder, name)).then(
      () => true,
      () => false,
    )
    if (!taken) return name
  }
}

async function syncFile(path: string): Promise<void> {
  // Read-write: Windows flushes a file only through a handle that may write it.
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
