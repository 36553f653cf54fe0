import { Worker } from 'node:worker_threads'

/**
 * sha256 of files on worker threads. An export hashes every file it copies for its manifest; on
 * the main thread that blocks the event loop (a few ms per 3 MB file), and on libuv's thread pool
 * (promise reads, WebCrypto) the many small reads queue behind the pool's copies and fsyncs and
 * the whole export waits on them. A worker reads the file with blocking reads of its own, so it
 * competes with neither.
 *
 * The worker's code is inline (eval) so it needs no file of its own in the bundle the app ships.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, closeSync } = require('node:fs')
const chunk = Buffer.allocUnsafe(1 << 20)
parentPort.on('message', ({ id, path }) => {
  let fd
  try {
    fd = openSync(path, 'r')
    const hash = createHash('sha256')
    let bytes = 0
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      hash.update(chunk.subarray(0, n))
      bytes += n
    }
    parentPort.postMessage({ id, bytes, sha256: hash.digest('hex') })
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message), code: err && err.code })
  } finally {
    if (fd !== undefined) closeSync(fd)
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
  resolve(value: { bytes: number; sha256: string }): void
  reject(err: Error): void
}

export class FileHasher {
  private readonly workers: Worker[] = []
  private readonly waiting = new Map<number, Waiting>()
  private nextId = 0

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true })
      worker.on('message', (reply: Reply) => this.settle(reply))
      worker.on('error', (err) => this.failAll(err))
      this.workers.push(worker)
    }
  }

  /** Bytes and sha256 of the file at `path`, read on a worker thread. */
  hash(path: string): Promise<{ bytes: number; sha256: string }> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.workers[id % this.workers.length]!.postMessage({ id, path })
    })
  }

  /** Ends the threads; whoever made the hasher closes it (a live worker keeps the process running). */
  async close(): Promise<void> {
    this.failAll(new Error('the file hasher was closed'))
    await Promise.all(this.workers.map((w) => w.terminate()))
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting.get(reply.id)
    if (!waiting) return
    this.waiting.delete(reply.id)
    if (reply.error !== undefined) {
      waiting.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}))
    } else {
      waiting.resolve({ bytes: reply.bytes!, sha256: reply.sha256! })
    }
  }

  private failAll(err: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(err)
    this.waiting.clear()
  }
}
