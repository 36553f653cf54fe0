/**
 * How an export copies a file byte for byte: a clone where the file system can, else one read on
 * a worker thread that hashes what it writes. Real files in temp folders, real worker threads; the
 * clone is the real one (this file system may or may not clone) or a stand-in that says what a
 * cloning file system would.
 */
import { createHash, randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { CopyWorkers } from '../../../src/main/core/files/copy-workers'
import { ExportCopier } from '../../../src/main/core/export/staged-writes'
import { tempDir } from '../../helpers/temp-dir'

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

let open: CopyWorkers[] = []
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()))
  open = []
})

/** Two real workers, with a count of what was asked of them. */
function countedWorkers(): { workers: () => CopyWorkers; asked: { copy: number; hash: number } } {
  const workers = new CopyWorkers(2)
  open.push(workers)
  const asked = { copy: 0, hash: 0 }
  const counted = Object.assign(Object.create(workers) as CopyWorkers, {
    copy: (from: string, to: string) => (asked.copy++, workers.copy(from, to)),
    hash: (path: string) => (asked.hash++, workers.hash(path)),
  })
  return { workers: () => counted, asked }
}

/** Files of different lengths (one empty, one over the workers' 1 MB piece), written into a new folder. */
function sources(dir: string): { path: string; data: Buffer }[] {
  return [0, 1, 4096, (1 << 20) + 17, 3 * (1 << 20)].map((length, i) => {
    const data = randomBytes(length)
    const path = join(dir, `source-${i}.png`)
    writeFileSync(path, data)
    return { path, data }
  })
}

const unsupported = () => Object.assign(new Error('clone not supported'), { code: 'ENOTSUP' })

describe('CopyWorkers', () => {
  it('copies in one read and hashes what it wrote, for any length', async () => {
    const dir = tempDir()
    const workers = new CopyWorkers(2)
    open.push(workers)
    const files = sources(dir)
    const copied = await Promise.all(files.map((f, i) => workers.copy(f.path, join(dir, `copy-${i}`))))
    for (const [i, f] of files.entries()) {
      expect(readFileSync(join(dir, `copy-${i}`)).equals(f.data)).toBe(true)
      expect(copied[i]).toEqual({ bytes: f.data.length, sha256: sha256(f.data) })
    }
  })

  it('never writes over a file that is there, and names the missing source', async () => {
    const dir = tempDir()
    const workers = new CopyWorkers(1)
    open.push(workers)
    const [, one] = sources(dir)
    writeFileSync(join(dir, 'taken'), 'keep me')
    await expect(workers.copy(one!.path, join(dir, 'taken'))).rejects.toMatchObject({ code: 'EEXIST' })
    expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('keep me')
    await expect(workers.copy(join(dir, 'gone.png'), join(dir, 'copy'))).rejects.toMatchObject({ code: 'ENOENT', message: expect.stringContaining('gone.png') })
    expect(existsSync(join(dir, 'copy'))).toBe(false)
  })

  it('with unref, an idle thread does not keep a process alive, and one with work in hand does', () => {
    const dir = tempDir()
    const [, , , , one] = sources(dir)
    const script = join(dir, 'hash-and-end.mts')
    const module = pathToFileURL(resolve('src/main/core/files/copy-workers.ts')).href
    const path = JSON.stringify(one!.path)
    // The second hash is the case that matters: the thread is up and idle, then the process has
    // nothing but that hash to wait on.
    writeFileSync(
      script,
      [
        `import { CopyWorkers } from ${JSON.stringify(module)}`,
        'const workers = new CopyWorkers(1, { unref: true })',
        `await workers.hash(${path})`,
        'await new Promise((resolve) => setTimeout(resolve, 100))',
        `console.log((await workers.hash(${path})).sha256)`,
      ].join('\n'),
    )
    // A worker that kept the process alive would make this run into its timeout; one that did
    // not while hashing would let the process end before the hash came back, printing nothing.
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 })
    expect(run.error).toBeUndefined()
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe(sha256(one!.data))
  })

  it('fails what is waiting when closed', async () => {
    const dir = tempDir()
    const workers = new CopyWorkers(1)
    const [, , , big] = sources(dir)
    const copies = Promise.allSettled(Array.from({ length: 20 }, (_, i) => workers.copy(big!.path, join(dir, `c-${i}`))))
    await workers.close()
    const settled = await copies
    expect(settled.every((s) => s.status === 'rejected' && /closed/.test(String(s.reason)))).toBe(true)
  })
})

describe('ExportCopier', () => {
  it('on a file system that cannot clone, tries once and copies every file on the workers', async () => {
    const dir = tempDir()
    const { workers, asked } = countedWorkers()
    let clones = 0
    const copier = new ExportCopier(workers, async () => {
      clones++
      throw unsupported()
    })
    const files = sources(dir)
    for (const [i, f] of files.entries()) {
      expect(await copier.copy(f.path, join(dir, `copy-${i}`))).toEqual({ bytes: f.data.length, sha256: sha256(f.data) })
      expect(readFileSync(join(dir, `copy-${i}`)).equals(f.data)).toBe(true)
    }
    expect(clones).toBe(1)
    expect(asked).toEqual({ copy: files.length, hash: 0 })
  })

  it('where clones work, clones every file and hashes the clone', async () => {
    const dir = tempDir()
    const { workers, asked } = countedWorkers()
    // What a copy-on-write file system gives: the same bytes under the new name.
    const copier = new ExportCopier(workers, async (from, to) => copyFileSync(from, to))
    const files = sources(dir)
    for (const [i, f] of files.entries()) {
      expect(await copier.copy(f.path, join(dir, `copy-${i}`))).toEqual({ bytes: f.data.length, sha256: sha256(f.data) })
    }
    expect(asked).toEqual({ copy: 0, hash: files.length })
  })

  it('a clone that fails after others worked falls back for that file only, and leaves no part of it', async () => {
    const dir = tempDir()
    const { workers, asked } = countedWorkers()
    let n = 0
    const copier = new ExportCopier(workers, async (from, to) => {
      if (++n === 2) {
        writeFileSync(to, 'half a clone')
        throw unsupported()
      }
      copyFileSync(from, to)
    })
    const files = sources(dir)
    for (const [i, f] of files.entries()) {
      expect((await copier.copy(f.path, join(dir, `copy-${i}`))).sha256).toBe(sha256(f.data))
      expect(readFileSync(join(dir, `copy-${i}`)).equals(f.data)).toBe(true)
    }
    expect(n).toBe(files.length)
    expect(asked).toEqual({ copy: 1, hash: files.length - 1 })
  })

  it('with the real clone of this file system, every copy is whole and nothing else is left', async () => {
    const dir = tempDir()
    const out = join(dir, 'out')
    mkdirSync(out)
    const { workers } = countedWorkers()
    const copier = new ExportCopier(workers)
    const files = sources(dir)
    const copied = await Promise.all(files.map((f, i) => copier.copy(f.path, join(out, `copy-${i}`))))
    expect(copied.map((c) => c.sha256)).toEqual(files.map((f) => sha256(f.data)))
    expect(readdirSync(out).sort()).toEqual(files.map((_, i) => `copy-${i}`).sort())
  })
})
