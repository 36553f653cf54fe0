/**
 * JobQueue over a real library (SQLite file, MediaStore) with a scripted provider and fake time:
 * running, per-provider limits, pause/resume and cancel, judged by the rows and files a user sees.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MediaStore } from '../../../src/main/core/media/media-store'
import type { ImageSink } from '../../../src/main/core/queue/job-runner'
import { Hold, imageBytes, ScriptedDialect, succeed, testProfile } from '../../helpers/scripted-dialect'
import { mediaFiles, pixelSize } from '../../helpers/library-files'
import { queueHarness, SCRIPTED_SECRET } from '../../helpers/queue-harness'
import { settle, until } from '../../helpers/wait'

describe('JobQueue: running a job', () => {
  it('stores every image at the requested pixel size and records what the job cost', async () => {
    const h = queueHarness()
    const [job] = h.submit({ sizes: [{ width: 96, height: 64 }], n: 2, format: 'png' })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')

    const row = h.job(job!.id)
    expect(row.chargedCost).toBeCloseTo(2 * 0.04, 9)
    expect(row.estimatedCost).toBeCloseTo(2 * 0.04, 9)
    expect(row).toMatchObject({ attempts: 1, errorKind: null, finishedAt: h.clock.now() })

    const images = h.store.images.forJob(job!.id)
    expect(images.map((i) => i.seq)).toEqual([0, 1])
    for (const image of images) {
      expect(image).toMatchObject({ width: 96, height: 64, format: 'png', provider: 'scripted', keyLabel: '$SCRIPTED_KEY' })
      expect(await pixelSize(join(h.home, image.file))).toEqual({ format: 'png', width: 96, height: 64 })
      expect(existsSync(join(h.home, image.thumb))).toBe(true)
    }
    expect(mediaFiles(h.home)).toEqual([...images.flatMap((i) => [i.file, i.thumb])].sort())

    // The provider got the key, the profile's URL, and one call for both images (limit 4 per call).
    expect(h.dialect.calls).toHaveLength(1)
    expect(h.dialect.calls[0]).toMatchObject({ secret: SCRIPTED_SECRET, baseUrl: h.profile.baseUrl, count: 2, firstIndex: 0 })
    // The gallery was told about the new images.
    const added = h.events.flatMap((e) => (e.event === 'gallery.changed' ? e.data.added : []))
    expect(added).toEqual(images.map((i) => i.id))
  })

  it("charges what the provider reports when it reports a cost, instead of the table price", async () => {
    const h = queueHarness()
    h.dialect.script(succeed({ chargedCost: 0.013 }))
    const [job] = h.submit({ n: 1 })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'succeeded', 'the job succeeds')
    expect(h.job(job!.id).chargedCost).toBeCloseTo(0.013, 9)
  })

  it('fails a job whose image bytes are not the format that was asked for, and keeps no file', async () => {
    const h = queueHarness({ retry: { maxAttempts: 1, baseDelayMs: 1000, maxDelayMs: 60_000 } })
    h.dialect.script(async () => {
      return { images: [{ bytes: new Uint8Array(await imageBytes(64, 64, 'jpeg')), revisedPrompt: null }], chargedCost: null }
    })
    const [job] = h.submit({ format: 'png' })
    h.queue.start()
    await until(() => h.job(job!.id).status === 'failed', 'the job fails')
    expect(h.job(job!.id)).toMatchObject({ errorKind: 'provider_down', chargedCost: 0 })
    expect(h.job(job!.id).errorMessage).toMatch(/PNG|png/)
    expect(mediaFiles(h.home)).toEqual([])
  })
})

describe('JobQueue: per-provider concurrency', () => {
  it('never runs more calls to a provider at once than its profile allows', async () => {
    const h = queueHarness({ profile: { concurrency: 2 } })
    const holds = Array.from({ length: 5 }, () => new Hold())
    h.dialect.script(...holds.map((x) => x.step))
    const jobs = Array.from({ length: 5 }, (_, i) => h.submit({ prompt: `shot ${i}` })[0]!)
    h.queue.start()

    await until(() => h.dialect.active === 2, 'two calls are at the provider')
    for (let i = 0; i < 3; i++) {
      h.queue.poke()
      await settle()
    }
    expect(h.dialect.calls).toHaveLength(2)
    expect(h.queue.state().counts).toMatchObject({ running: 2, queued: 3 })

    // As each call finishes, the next job takes its place, never a third at once.
    for (let done = 0; done < 5; done++) {
      await until(() => holds.filter((x) => x.call).length > done, `call ${done + 1} started`)
      holds[done]!.release()
    }
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'all five jobs succeed')
    expect(h.dialect.calls).toHaveLength(5)
    expect(h.dialect.maxActive).toBe(2)
  })

  it('limits each provider separately: a busy provider does not hold up another', async () => {
    const h = queueHarness({ profile: { concurrency: 1 } })
    const other = new ScriptedDialect()
    h.providers.register(testProfile({ id: 'other', name: 'Other provider', concurrency: 1 }), other.adapter)
    const busy = new Hold()
    h.dialect.script(busy.step)
    h.submit({ prompt: 'held at scripted' })
    const waiting = h.submit({ prompt: 'waits behind it' })[0]!
    const [elsewhere] = h.submit({ provider: 'other', prompt: 'runs at other' })
    h.queue.start()

    await until(() => h.job(elsewhere!.id).status === 'succeeded', 'the other provider finishes its job')
    expect(h.dialect.active).toBe(1)
    expect(h.job(waiting.id).status).toBe('queued')
    busy.release()
    await until(() => h.job(waiting.id).status === 'succeeded', 'the waiting job runs once the slot frees')
  })
})

/** The real media store with every write held back until `open()`; counts writes waiting. */
function heldMedia(media: MediaStore): { sink: ImageSink; open(): void; waiting(): number } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  let waiting = 0
  return {
    sink: {
      async writeImage(input) {
        waiting++
        await opened
        waiting--
        return media.writeImage(input)
      },
      removeImage: (rel) => media.removeImage(rel),
    },
    open: () => open(),
    waiting: () => waiting,
  }
}

describe('JobQueue: storing images does not hold the provider slot', () => {
  it('sends the next request while the last reply of a job is still being stored', async () => {
    let held!: ReturnType<typeof heldMedia>
    const h = queueHarness({ profile: { concurrency: 1 }, wrapMedia: (m) => (held = heldMedia(m)).sink })
    const jobs = [h.submit({ prompt: 'first' })[0]!, h.submit({ prompt: 'second' })[0]!]
    h.queue.start()

    await until(() => held.waiting() === 2, 'both replies wait to be stored')
    expect(h.dialect.calls).toHaveLength(2)
    expect(h.dialect.maxActive).toBe(1)
    expect(jobs.map((j) => h.job(j.id).status)).toEqual(['running', 'running'])
    held.open()
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'both jobs succeed')
    expect(h.store.images.forJob(jobs[0]!.id)).toHaveLength(1)
  })

  it('bounds the replies waiting to be stored: a job waiting for a store slot keeps its provider slot', async () => {
    let held!: ReturnType<typeof heldMedia>
    const h = queueHarness({ profile: { concurrency: 3 }, storeSlots: 1, wrapMedia: (m) => (held = heldMedia(m)).sink })
    const jobs = Array.from({ length: 6 }, (_, i) => h.submit({ prompt: `shot ${i}` })[0]!)
    h.queue.start()

    // One reply is being stored (its job gave its slot back), three wait for the store slot
    // holding their provider slots, so no fifth request leaves however often the queue looks.
    await until(() => h.dialect.calls.length === 4, 'four requests were sent')
    for (let i = 0; i < 3; i++) {
      h.queue.poke()
      await settle()
    }
    expect(h.dialect.calls).toHaveLength(4)
    expect(held.waiting()).toBe(1)
    held.open()
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'all six jobs succeed')
    expect(h.dialect.calls).toHaveLength(6)
  })
})

describe('JobQueue: pause and resume', () => {
  it('takes no new job while paused and continues on resume', async () => {
    const h = queueHarness()
    h.queue.start()
    expect(h.queue.pause().paused).toBe(true)
    const [job] = h.submit()
    for (let i = 0; i < 3; i++) {
      h.queue.poke()
      h.clock.advance(5_000)
      await settle()
    }
    expect(h.dialect.calls).toHaveLength(0)
    expect(h.job(job!.id).status).toBe('queued')
    expect(h.queue.state()).toMatchObject({ paused: true, counts: { queued: 1 } })

    expect(h.queue.resume().paused).toBe(false)
    await until(() => h.job(job!.id).status === 'succeeded', 'the job runs after resume')
  })

  it('lets the job already running finish, but starts nothing after it while paused', async () => {
    const h = queueHarness()
    const hold = new Hold()
    h.dialect.script(hold.step)
    const [first] = h.submit({ prompt: 'first' })
    h.queue.start()
    await hold.entered()
    h.queue.pause()
    const [second] = h.submit({ prompt: 'second' })
    hold.release()
    await until(() => h.job(first!.id).status === 'succeeded', 'the running job finishes')
    h.queue.poke()
    await settle()
    expect(h.job(second!.id).status).toBe('queued')
    expect(h.dialect.calls).toHaveLength(1)

    h.queue.resume()
    await until(() => h.job(second!.id).status === 'succeeded', 'the second job runs after resume')
  })

  it('stays paused after a restart (the flag lives in the library)', () => {
    const h = queueHarness()
    h.queue.pause()
    h.store.close()
    const again = queueHarness({ home: h.home })
    expect(again.queue.state().paused).toBe(true)
  })
})

describe('JobQueue: cancel', () => {
  it('cancels a queued job before it ever reaches the provider', async () => {
    const h = queueHarness({ profile: { concurrency: 1 } })
    const hold = new Hold()
    h.dialect.script(hold.step)
    const [running] = h.submit({ prompt: 'running' })
    const [queued] = h.submit({ prompt: 'queued' })
    h.queue.start()
    await hold.entered()

    expect(h.queue.cancel(queued!.id)).toBe(true)
    expect(h.queue.cancel(queued!.id)).toBe(false)
    hold.release()
    await until(() => h.job(running!.id).status === 'succeeded', 'the running job finishes')
    await settle()
    expect(h.dialect.calls).toHaveLength(1)
    expect(h.job(queued!.id)).toMatchObject({ status: 'canceled', chargedCost: null })
    expect(h.store.images.forJob(queued!.id)).toEqual([])
  })

  it('aborts a running call: the provider sees the abort, no image is recorded, no file remains', async () => {
    const h = queueHarness({ profile: { concurrency: 1 } })
    const hold = new Hold()
    h.dialect.script(hold.step)
    const [job] = h.submit({ n: 2 })
    h.queue.start()
    await hold.entered()

    expect(h.queue.cancel(job!.id)).toBe(true)
    await until(() => hold.sawAbort, 'the provider call sees its signal abort')
    await until(() => h.queue.activeCount === 0, 'the run ends')
    expect(h.job(job!.id)).toMatchObject({ status: 'canceled' })
    expect(h.store.images.forJob(job!.id)).toEqual([])
    expect(mediaFiles(h.home)).toEqual([])

    // Its slot is free again: the next job runs.
    const [next] = h.submit()
    await until(() => h.job(next!.id).status === 'succeeded', 'the next job runs')
  })

  it('throws away images a provider sends back after the job was canceled', async () => {
    const h = queueHarness()
    const hold = new Hold({ ignoreAbort: true })
    h.dialect.script(hold.step)
    const [job] = h.submit({ n: 2 })
    h.queue.start()
    await hold.entered()
    h.queue.cancel(job!.id)
    expect(hold.sawAbort).toBe(true)
    hold.release()
    await until(() => h.queue.activeCount === 0, 'the run ends')
    await settle()
    expect(h.job(job!.id)).toMatchObject({ status: 'canceled', chargedCost: null })
    expect(h.store.images.forJob(job!.id)).toEqual([])
    expect(mediaFiles(h.home)).toEqual([])
  })

  it('keeps images already recorded when a job is canceled between calls, and charges only for them', async () => {
    const h = queueHarness({ profile: { maxImagesPerCall: 1, concurrency: 1 } })
    const second = new Hold()
    h.dialect.script(succeed(), second.step)
    const [job] = h.submit({ n: 3 })
    h.queue.start()
    await second.entered()
    h.queue.cancel(job!.id)
    await until(() => h.queue.activeCount === 0, 'the run ends')
    expect(h.job(job!.id).status).toBe('canceled')
    const images = h.store.images.forJob(job!.id)
    expect(images.map((i) => i.seq)).toEqual([0])
    expect(h.job(job!.id).chargedCost).toBeCloseTo(0.04, 9)
    expect(mediaFiles(h.home)).toEqual([images[0]!.file, images[0]!.thumb].sort())
  })
})

describe('JobQueue: cancel a batch', () => {
  it('cancels the queued and the running jobs of a batch and aborts the running call', async () => {
    const h = queueHarness({ profile: { concurrency: 1 } })
    const hold = new Hold()
    h.dialect.script(hold.step)
    const jobs = h.submit({ sizes: [{ width: 64, height: 64 }, { width: 96, height: 64 }] })
    expect(jobs[0]!.batchId).not.toBeNull()
    expect(jobs[0]!.batchId).toBe(jobs[1]!.batchId)
    h.queue.start()
    await hold.entered()
    expect(h.queue.cancelBatch(jobs[0]!.batchId!)).toBe(2)
    await until(() => hold.sawAbort && h.queue.activeCount === 0, 'the running call is aborted')
    await settle()
    expect(jobs.map((j) => h.job(j.id).status)).toEqual(['canceled', 'canceled'])
    expect(h.dialect.calls).toHaveLength(1)
    expect(mediaFiles(h.home)).toEqual([])
  })
})

describe('JobQueue: shutdown and idle', () => {
  it('shutdown aborts calls in flight and leaves their rows for the next start to recover', async () => {
    const h = queueHarness()
    const hold = new Hold()
    h.dialect.script(hold.step)
    const [job] = h.submit()
    h.queue.start()
    await hold.entered()
    await h.queue.shutdown()
    expect(hold.sawAbort).toBe(true)
    expect(h.job(job!.id).status).toBe('running')
    expect(h.store.images.forJob(job!.id)).toEqual([])
  })

  it('whenIdle resolves once nothing is queued or running', async () => {
    const h = queueHarness()
    const jobs = [h.submit()[0]!, h.submit()[0]!]
    h.queue.start()
    let idle = false
    const waiting = h.queue.whenIdle().then(() => (idle = true))
    await until(() => jobs.every((j) => h.job(j.id).status === 'succeeded'), 'both jobs succeed')
    h.clock.advance(100)
    await waiting
    expect(idle).toBe(true)
  })

  it('fails a queued job whose provider is no longer configured, naming the provider', async () => {
    const h = queueHarness()
    const [job] = h.submit()
    h.store.db.prepare("UPDATE jobs SET provider = 'vanished' WHERE id = ?").run(job!.id)
    h.queue.start()
    await until(() => h.job(job!.id).status === 'failed', 'the job fails')
    expect(h.job(job!.id)).toMatchObject({ errorKind: 'input', errorCode: 'unknown_provider' })
    expect(h.job(job!.id).errorMessage).toContain('vanished')
  })
})
