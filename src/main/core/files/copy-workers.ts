import { Worker } from 'node:worker_threads'

/**
 * Copies and sha256s of files, on worker threads: an export's copies, and the hash of every image
 * the media store writes (read back from its temp file, so the hash is of what is on disk and no
 * copy of the image is made to hand it to another thread).
 *
 * Every copied file is read once: the worker reads the source in 1 MB pieces, hashes each piece
 * and writes it to the new file, so the bytes in an export's manifest are the bytes written. A
 * kernel copy (copyFile) plus a separate read for the hash reads every byte twice and runs on
 * libuv's four pool threads, where the copies queue with the batches' fsyncs and, on two cores,
 * six threads fight over two; two workers doing the whole of each file keep both cores busy with
 * nothing to wait on.
 *
 * `hash` alone is for a file cloned by the file system (no bytes copied) and for the media store.
 *
 * The worker's code is inline (eval) so it needs no file of its own in the bundle the app ships.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, writeSync, closeSync } = require('node:fs')
const chunk = Buffer.allocUnsafe(1 << 20)
function writeAll(fd, buffer) {
  let at = 0
  while (at < buffer.length) at += writeSync(fd, buffer, at, buffer.length - at)
}
parentPort.on('message', ({ id, path, to }) => {
  let fd
  let out
  try {
    fd = openSync(path, 'r')
    // wx: a new file or an error, never over one already there.
    if (to !== undefined) out = openSync(to, 'wx', 0o644)
    const hash = createHash('sha256')
    let bytes = 0
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      const piece = chunk.subarray(0, n)
      hash.update(piece)
      if (out !== undefined) writeAll(out, piece)
      bytes += n
    }
    parentPort.postMessage({ id, bytes, sha256: hash.digest('hex') })
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message), code: err && err.code })
  } finally {
    if (fd !== undefined) closeSync(fd)
    if (out !== undefined) closeSync(out)
  }
})
`

interface Reply {
  id: number
  bytes?: number
  sha256?: string
  error?: string
  code?: string
}

interface Waiting {
  resolve(value: Hashed): void
  reject(err: Error): void
  worker: number
}

export interface Hashed {
  bytes: number
  sha256: string
}

export interface CopyWorkersOptions {
  /**
   * An idle thread does not keep the process alive (for an owner that never closes them); one
   * with work in hand does, or a process waiting only on it would end mid-hash.
   */
  unref?: boolean
  /** Starts one thread (tests start one that dies); default: the copy-and-hash worker above. */
  startThread?: () => Worker
}

export const startCopyThread = (): Worker => new Worker(WORKER_SOURCE, { eval: true })

export class CopyWorkers {
  /** null: that thread stopped; the next file sent its way starts a new one. */
  private readonly workers: (Worker | null)[] = []
  /** Files sent to each worker and not yet answered. */
  private readonly queued: number[] = []
  private readonly waiting = new Map<number, Waiting>()
  private nextId = 0
  private closed = false
  private readonly unrefWhenIdle: boolean
  private readonly startThread: () => Worker

  constructor(threads: number, options: CopyWorkersOptions = {}) {
    this.unrefWhenIdle = options.unref ?? false
    this.startThread = options.startThread ?? startCopyThread
    for (let i = 0; i < threads; i++) {
      this.workers.push(this.start(i))
      this.queued.push(0)
    }
  }

  /** Bytes and sha256 of the file at `path`, read on a worker thread. */
  hash(path: string): Promise<Hashed> {
    return this.send({ path })
  }

  /**
   * Copies `from` to a new file `to` (never over an existing one) in one read, hashing what it
   * writes. On an error the new file may be partly written: the caller removes it.
   */
  copy(from: string, to: string): Promise<Hashed> {
    return this.send({ path: from, to })
  }

  /** Ends the threads; whoever made them closes them (a live worker keeps the process running). */
  async close(): Promise<void> {
    this.closed = true
    const workers = this.workers.filter((w): w is Worker => w !== null)
    this.workers.fill(null)
    this.failWhere(() => true, new Error('the copy workers were closed'))
    await Promise.all(workers.map((w) => w.terminate()))
  }

  private start(index: number): Worker {
    const worker = this.startThread()
    let crash: Error | undefined
    worker.on('message', (reply: Reply) => this.settle(reply))
    worker.on('error', (err) => (crash = err))
    // A thread that stops (its code threw, it ran out of memory, something ended it) would leave
    // every file sent to it waiting forever: they fail, and the next file starts a new thread.
    worker.on('exit', (code) => {
      if (this.workers[index] !== worker) return
      this.workers[index] = null
      this.queued[index] = 0
      const why = crash ? crash.message : `it exited with code ${code}`
      this.failWhere((w) => w.worker === index, new Error(`The copy thread stopped (${why}).`))
    })
    // After the listeners: adding a 'message' listener refs the worker's port again.
    if (this.unrefWhenIdle) worker.unref()
    return worker
  }

  private send(message: { path: string; to?: string }): Promise<Hashed> {
    if (this.closed) return Promise.reject(new Error('the copy workers were closed'))
    const id = this.nextId++
    // The worker with the least to do: files differ in size, so taking turns would leave one idle.
    const index = this.queued.indexOf(Math.min(...this.queued))
    const worker = (this.workers[index] ??= this.start(index))
    if (this.queued[index]!++ === 0 && this.unrefWhenIdle) worker.ref()
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: index })
      worker.postMessage({ id, ...message })
    })
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting.get(reply.id)
    if (!waiting) return
    this.waiting.delete(reply.id)
    if (--this.queued[waiting.worker]! === 0 && this.unrefWhenIdle) this.workers[waiting.worker]?.unref()
    if (reply.error !== undefined) {
      waiting.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}))
    } else {
      waiting.resolve({ bytes: reply.bytes!, sha256: reply.sha256! })
    }
  }

  private failWhere(which: (w: Waiting) => boolean, err: Error): void {
    for (const [id, waiting] of this.waiting) {
      if (!which(waiting)) continue
      this.waiting.delete(id)
      waiting.reject(err)
    }
  }
}
