/**
 * The engine through its router, the way every door uses it: real library folder, real demo
 * provider (renders real images), session-only secrets so no keychain is needed.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { createEngine } from '../../../src/main/core/engine'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import { pixelSize } from '../../helpers/library-files'
import { sha256File } from '../../helpers/sqlite'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/wait'

const demoRequest = (over: Record<string, unknown> = {}) => ({
  provider: 'demo',
  prompt: 'white sneaker packshot',
  sizes: [{ width: 320, height: 200 }],
  ...over,
})

describe('engine', () => {
  it('generates with the demo provider: the job succeeds and the gallery shows the image at its size', async () => {
    const home = tempDir('proofsheet-engine-')
    const engine = await openEngine(home)
    expect(engine.runnerElsewhere()).toBeNull()

    const queued = await call(engine, 'jobs.generate', demoRequest({ n: 2 }))
    expect(queued.estimate).toMatchObject({ provider: 'demo', total: 0, currency: 'USD' })
    const [job] = await engine.waitForJobs(queued.jobs.map((j) => j.id))
    expect(job).toMatchObject({ status: 'succeeded', chargedCost: 0, size: '320x200', error: null })
    expect(job!.imageIds).toHaveLength(2)

    const gallery = await call(engine, 'gallery.list', {})
    expect(gallery.images.map((i) => i.id).sort()).toEqual([...job!.imageIds].sort())
    for (const image of gallery.images) {
      expect(image).toMatchObject({ width: 320, height: 200, format: 'png', prompt: 'white sneaker packshot' })
      expect(await pixelSize(join(home, image.file))).toEqual({ format: 'png', width: 320, height: 200 })
      expect(existsSync(join(home, image.thumb))).toBe(true)
    }
    expect(await call(engine, 'gallery.list', { search: 'sneak' })).toMatchObject({ images: expect.any(Array) })
    expect((await call(engine, 'gallery.list', { search: 'sneak' })).images).toHaveLength(2)
  })

  describe('bad input comes back as an error object naming the field, and queues nothing', () => {
    it.each([
      ['an empty prompt', demoRequest({ prompt: '' }), 'prompt'],
      ['a prompt of spaces', demoRequest({ prompt: '   ' }), 'prompt'],
      ['no size', demoRequest({ sizes: [] }), 'sizes'],
      ['a transparent jpeg', demoRequest({ format: 'jpeg', background: 'transparent' }), 'background'],
      ['n = 0', demoRequest({ n: 0 }), 'n'],
    ])('%s', async (_what, input, field) => {
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.generate', input)
      expect(error).toMatchObject({ code: 'bad_input', field })
      expect(error.message.length).toBeGreaterThan(0)
      expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    })

    it('a misspelled option, instead of silently making (and charging for) something else', async () => {
      // A script that writes "backgound" would otherwise get an opaque image it did not ask for.
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.generate', demoRequest({ backgound: 'transparent' }))
      expect(error.code).toBe('bad_input')
      expect(error).toMatchObject({ field: 'backgound' })
      expect(error.message).toContain('backgound')
      expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    })

    it('an unknown provider, with the list of providers in the fix', async () => {
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.generate', demoRequest({ provider: 'nano-banana' }))
      expect(error).toMatchObject({ code: 'bad_input', field: 'provider' })
      expect(error.message).toContain('nano-banana')
      expect(error.fix).toContain('demo')
      expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    })

    it('a size no provider can make (99999x1)', async () => {
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.generate', demoRequest({ sizes: [{ width: 99999, height: 1 }] }))
      expect(error.code).toBe('bad_input')
      expect(error.field).toMatch(/^sizes?\b/)
      expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    })

    it('a size outside what the profile accepts, with the limits in the fix', async () => {
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.generate', demoRequest({ sizes: [{ width: 8192, height: 8192 }] }))
      expect(error).toMatchObject({ code: 'bad_input', field: 'size' })
      expect(error.fix).toMatch(/4096/)
    })

    it('an unknown call name', async () => {
      const engine = await openEngine(tempDir('proofsheet-engine-'))
      const error = await refused(engine, 'jobs.explode', {})
      expect(error).toMatchObject({ code: 'bad_input', field: 'name' })
      expect(error.message).toContain('jobs.explode')
    })
  })

  it('keeps the gallery across a restart on the same library, and the reopened engine runs jobs', async () => {
    const home = tempDir('proofsheet-engine-')
    const first = await openEngine(home)
    const queued = await call(first, 'jobs.generate', demoRequest({ prompt: 'blue teapot' }))
    const [done] = await first.waitForJobs(queued.jobs.map((j) => j.id))
    expect(done!.status).toBe('succeeded')
    await first.close()

    const second = await openEngine(home)
    expect(second.runnerElsewhere()).toBeNull()
    const gallery = await call(second, 'gallery.list', {})
    expect(gallery.images.map((i) => i.id)).toEqual(done!.imageIds)
    expect(existsSync(join(home, gallery.images[0]!.file))).toBe(true)
    expect((await call(second, 'jobs.get', { id: done!.id })).status).toBe('succeeded')

    const more = await call(second, 'jobs.generate', demoRequest({ prompt: 'red teapot', sizes: [{ width: 64, height: 48 }] }))
    const [again] = await second.waitForJobs(more.jobs.map((j) => j.id))
    expect(again!.status).toBe('succeeded')
    expect((await call(second, 'gallery.list', {})).images).toHaveLength(2)
  })

  it('a job cut off by close() is picked up again by the next engine on the library', async () => {
    const home = tempDir('proofsheet-engine-')
    // A demo call that would take a minute: close() aborts it and leaves the row 'running'.
    const first = await openEngine(home, { demoDelayMs: 60_000 })
    const queued = await call(first, 'jobs.generate', demoRequest())
    const id = queued.jobs[0]!.id
    await until(async () => (await call(first, 'jobs.get', { id })).status === 'running', 'the demo call is in flight')
    await first.close()

    const second = await openEngine(home)
    const [job] = await second.waitForJobs([id])
    expect(job).toMatchObject({ status: 'succeeded', chargedCost: 0 })
    expect(job!.imageIds).toHaveLength(1)
    expect((await call(second, 'gallery.list', {})).images).toHaveLength(1)
  })

  it('cancel of a finished job is refused as a conflict naming the job', async () => {
    const engine = await openEngine(tempDir('proofsheet-engine-'))
    const queued = await call(engine, 'jobs.generate', demoRequest())
    await engine.waitForJobs(queued.jobs.map((j) => j.id))
    const error = await refused(engine, 'jobs.cancel', { id: queued.jobs[0]!.id })
    expect(error).toMatchObject({ code: 'conflict', field: 'id' })
    expect(error.message).toContain('succeeded')
    expect(await refused(engine, 'jobs.get', { id: 'job_nope' })).toMatchObject({ code: 'not_found', field: 'id' })
  })

  it('a second engine on an open library does not become the runner, but can add work the runner does', async () => {
    const home = tempDir('proofsheet-engine-')
    const runner = await openEngine(home)
    const other = await openEngine(home)
    expect(runner.runnerElsewhere()).toBeNull()
    expect(other.runnerElsewhere()).toMatchObject({ pid: process.pid, host: hostname() })
    expect(other.startQueue()).toBe(false)
    await expect(other.runUntilIdle()).rejects.toMatchObject({ code: 'conflict' })

    const queued = await call(other, 'jobs.generate', demoRequest())
    const [job] = await other.waitForJobs(queued.jobs.map((j) => j.id))
    expect(job!.status).toBe('succeeded')

    await runner.close()
    expect(other.startQueue()).toBe(true)
    expect(other.runnerElsewhere()).toBeNull()
  })

  it("refuses a library folder whose database is another program's file, naming 'home'", async () => {
    const home = tempDir('proofsheet-engine-')
    const file = join(home, 'library.sqlite')
    const foreign = new BetterSqlite3(file)
    foreign.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)')
    foreign.close()
    const before = sha256File(file)
    const err = await createEngine({ home, secrets: async () => ({ store: new SessionSecretStore(), status: { backend: 'session', persistent: false, message: '' } }) }).then(
      (engine) => engine.close().then(() => null),
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'unavailable', field: 'home' })
    expect(sha256File(file)).toBe(before)
  })

  it('refuses a library folder that is a file, naming home', async () => {
    const parent = tempDir('proofsheet-engine-')
    const home = join(parent, 'not-a-folder')
    writeFileSync(home, 'x')
    // A file where a folder should be is the caller's input to fix (the CLI exits 2), not a disk that is down.
    await expect(createEngine({ home })).rejects.toMatchObject({ code: 'bad_input', field: 'home' })
  })
})
