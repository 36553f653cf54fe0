/**
 * The queue's side of a full or read-only library disk, with the disk's answer under the test's
 * control (the real disk cases, a tmpfs that fills up, are in test/cli/storage-faults.test.ts):
 * the queue pauses itself before sending, says why in its state and events, takes no work while
 * the disk is still bad, and runs everything once it is fixed and resumed.
 */
import { describe, expect, it } from 'vitest'
import type { QueueState } from '../../../src/shared/api'
import { storageProblemOf, type StorageProblem } from '../../../src/main/core/files/storage-check'
import { queueHarness } from '../../helpers/queue-harness'
import { fail } from '../../helpers/scripted-dialect'
import { ProviderError } from '../../../src/main/core/providers/provider-error'
import { settle, until } from '../../helpers/wait'

const FULL: StorageProblem = {
  code: 'disk_full',
  message: 'The disk holding the library folder /lib is full (1.0 MB free in /lib, 4.0 MB needed).',
}

function harnessWithDisk() {
  const disk: { problem: StorageProblem | null; asked: number[] } = { problem: FULL, asked: [] }
  const h = queueHarness({
    storage: {
      check: (bytes) => {
        disk.asked.push(bytes)
        return disk.problem
      },
      problemOf: (err) => storageProblemOf(err, '/lib'),
    },
  })
  return { h, disk }
}

const lastQueueState = (events: { event: string; data: unknown }[]): QueueState | undefined =>
  events.filter((e) => e.event === 'queue.changed').at(-1)?.data as QueueState | undefined

describe('JobQueue on a library disk that cannot take the images', () => {
  it('pauses itself before sending, with the reason in its state and its events; the job stays queued and unsent', async () => {
    const { h, disk } = harnessWithDisk()
    const [job] = h.submit({ sizes: [{ width: 64, height: 64 }], n: 2 })
    h.queue.start()
    await until(() => h.queue.paused, 'the queue pauses')
    await settle()

    expect(h.dialect.calls).toHaveLength(0)
    expect(h.job(job!.id)).toMatchObject({ status: 'queued', attempts: 0, chargedCost: null })
    // Room for two 64x64 images at 4 bytes a pixel, plus the margin.
    expect(disk.asked[0]).toBe(2 * 64 * 64 * 4 + 4 * 1024 * 1024)
    expect(h.queue.state()).toMatchObject({ paused: true, pauseReason: FULL })
    expect(lastQueueState(h.events)).toMatchObject({ paused: true, pauseReason: FULL })
  })

  it('takes no work while the disk is still full, even after Resume; runs it once the disk has room', async () => {
    const { h, disk } = harnessWithDisk()
    const [job] = h.submit()
    h.queue.start()
    await until(() => h.queue.paused, 'the queue pauses')

    h.queue.resume()
    await settle()
    expect(h.queue.state().pauseReason).toEqual(FULL)
    expect(h.dialect.calls).toHaveLength(0)

    disk.problem = null
    const resumed = h.queue.resume()
    expect(resumed).toMatchObject({ paused: false, pauseReason: null })
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    expect(h.dialect.calls).toHaveLength(1)
    expect(lastQueueState(h.events)?.pauseReason ?? null).toBeNull()
  })

  it('a pause the user chose has no reason, and a storage pause survives in the library for other processes', async () => {
    const { h } = harnessWithDisk()
    h.submit()
    h.queue.start()
    await until(() => h.queue.paused, 'the queue pauses')
    // What another process (the CLI beside the app) reads from the same library.
    expect(JSON.parse(h.store.getMeta('queue.storagePause')!)).toEqual(FULL)
    // A new runner rechecks the disk rather than inheriting the pause.
    h.queue.forgetStoragePause()
    expect(h.store.getMeta('queue.storagePause')).toBe('')

    const { h: other } = harnessWithDisk()
    expect(other.queue.pause()).toMatchObject({ paused: true, pauseReason: null })
  })

  it('pauses saying the folder is not writable when writing an image is refused (EACCES), and does not send the job again', async () => {
    // Running as root here, so a chmod would not refuse the write: the media store's write is made to.
    const h = queueHarness({
      wrapMedia: (media) => ({
        writeImage: async () => {
          throw Object.assign(new Error("EACCES: permission denied, open '/lib/images/2025/03/x.png'"), { code: 'EACCES' })
        },
        removeImage: (rel) => media.removeImage(rel),
      }),
    })
    const [job] = h.submit()
    h.queue.start()
    await until(() => h.queue.paused, 'the queue pauses')
    await settle()

    expect(h.queue.state().pauseReason).toEqual({ code: 'not_writable', message: expect.stringMatching(/may not write to/) })
    expect(h.job(job!.id).status).toBe('failed')
    expect(h.dialect.calls).toHaveLength(1)
  })

  it('does not pause for an errno from the network side (a firewall refusing the connection with EACCES)', async () => {
    const { h, disk } = harnessWithDisk()
    disk.problem = null
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect EACCES 10.0.0.1:443'), { code: 'EACCES' }) })
    h.dialect.script(fail(refused))
    const [job] = h.submit()
    h.queue.start()
    await until(() => h.job(job!.id).errorKind !== null, 'the failure is recorded')
    expect(h.job(job!.id)).toMatchObject({ status: 'queued', errorKind: 'retryable' })
    expect(h.queue.state()).toMatchObject({ paused: false, pauseReason: null })
  })

  it('pauses, instead of crashing, when SQLite cannot record a provider failure (the database turned read-only)', async () => {
    const { h, disk } = harnessWithDisk()
    disk.problem = null
    h.dialect.script(async () => {
      // SQLite's own refusal to write: every statement from here on gets SQLITE_READONLY.
      h.store.db.pragma('query_only = ON')
      throw new ProviderError('retryable', 'The provider answered 503.', { code: '503' })
    })
    const [job] = h.submit()
    h.queue.start()
    await until(() => h.queue.paused, 'the queue pauses')
    expect(h.queue.state().pauseReason).toMatchObject({ code: 'read_only', message: expect.stringMatching(/503[\s\S]*could not be recorded/) })
    h.store.db.pragma('query_only = OFF')
    // Nothing half-written: the row is still the claim's.
    expect(h.job(job!.id)).toMatchObject({ status: 'running', errorKind: null })
    expect(h.store.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
