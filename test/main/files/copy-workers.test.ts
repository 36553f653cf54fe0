/**
 * CopyWorkers when a thread stops: what was sent to it fails with the reason, work on the other
 * threads goes on, and the next file starts a new thread, so one crash never leaves an export or
 * every later image waiting forever on a hash.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { CopyWorkers, startCopyThread } from '../../../src/main/core/files/copy-workers'
import { tempDir } from '../../helpers/temp-dir'

let open: CopyWorkers[] = []
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()))
  open = []
})

/** Starts the threads in `first` in turn, then real copy threads. */
function workers(threads: number, first: (() => Worker)[]): { pool: CopyWorkers; started: () => number } {
  let started = 0
  const pool = new CopyWorkers(threads, {
    startThread: () => {
      const start = first[started++] ?? startCopyThread
      return start()
    },
  })
  open.push(pool)
  return { pool, started: () => started }
}

const exitsOnWork = (): Worker =>
  new Worker(`require('node:worker_threads').parentPort.on('message', () => process.exit(3))`, { eval: true })
const throwsOnWork = (): Worker =>
  new Worker(`require('node:worker_threads').parentPort.on('message', () => { throw new Error('out of luck') })`, { eval: true })

function aFile(): { path: string; sha256: string; bytes: number } {
  const bytes = randomBytes(3 * 2 ** 20 + 17)
  const path = join(tempDir('proofsheet-copy-workers-'), 'source.bin')
  writeFileSync(path, bytes)
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }
}

describe('CopyWorkers: a thread that stops', () => {
  it('fails the file sent to it with the exit code, and the next file starts a new thread', async () => {
    const file = aFile()
    const { pool, started } = workers(1, [exitsOnWork])
    await expect(pool.hash(file.path)).rejects.toThrow('The copy thread stopped (it exited with code 3).')
    await expect(pool.hash(file.path)).resolves.toEqual({ bytes: file.bytes, sha256: file.sha256 })
    expect(started()).toBe(2)
  })

  it('says what its code threw', async () => {
    const file = aFile()
    const { pool } = workers(1, [throwsOnWork])
    await expect(pool.hash(file.path)).rejects.toThrow('The copy thread stopped (out of luck).')
    await expect(pool.hash(file.path)).resolves.toMatchObject({ sha256: file.sha256 })
  })

  it("fails only the files of the thread that stopped: another thread's copy completes", async () => {
    const file = aFile()
    const out = tempDir('proofsheet-copy-workers-out-')
    const { pool } = workers(2, [exitsOnWork])
    // Least-loaded dispatch: the first file goes to thread 0 (the one that dies), the second to 1.
    const [lost, kept] = await Promise.allSettled([pool.copy(file.path, join(out, 'a.bin')), pool.copy(file.path, join(out, 'b.bin'))])
    expect(lost.status).toBe('rejected')
    expect(kept).toEqual({ status: 'fulfilled', value: { bytes: file.bytes, sha256: file.sha256 } })
    expect(createHash('sha256').update(readFileSync(join(out, 'b.bin'))).digest('hex')).toBe(file.sha256)
  })

  it('refuses work once closed', async () => {
    const file = aFile()
    const { pool } = workers(1, [])
    await pool.close()
    await expect(pool.hash(file.path)).rejects.toThrow('the copy workers were closed')
  })
})
