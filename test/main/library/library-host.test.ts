/**
 * Switching libraries through the router, as the Settings section does: real SQLite files in temp
 * folders, the real engine with the demo provider, the recent list as a real JSON file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { ApiErrorData, Output, Result, RouteName, Router } from '../../../src/shared/api'
import { createEngine, type EngineOptions } from '../../../src/main/core/engine'
import { openLibraryHost } from '../../../src/main/core/library/library-host'
import { RecentLibraries } from '../../../src/main/core/library/recent-libraries'
import { startLibraryHome } from '../../../src/main/core/home'
import { testEngineOptions } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/wait'

async function call<N extends RouteName>(router: Router, name: N, input: unknown = {}): Promise<Output<N>> {
  const result = (await router.handle(name, input)) as Result<Output<N>>
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value
}

async function refused(router: Router, name: RouteName, input: unknown): Promise<ApiErrorData> {
  const result = await router.handle(name, input)
  if (result.ok) throw new Error(`${name} was accepted: ${JSON.stringify(result.value)}`)
  return result.error
}

async function host(home: string, options: Partial<EngineOptions> = {}) {
  const config = tempDir('proofsheet-config-')
  const recentFile = join(config, 'recent-libraries.json')
  let clock = 1_000
  const recent = new RecentLibraries(recentFile, () => (clock += 1_000))
  const opened = await openLibraryHost({
    home,
    recent,
    runQueue: true,
    openEngine: (folder, library) => createEngine(testEngineOptions(folder, { ...options, library, runQueue: false })),
  })
  onTestFinished(() => opened.close())
  return { ...opened, recent, recentFile }
}

const demoJob = { provider: 'demo', prompt: 'white sneaker packshot', sizes: [{ width: 320, height: 200 }] }

describe('library location', () => {
  it('shows the library in use: its path, image count and size', async () => {
    const home = tempDir('proofsheet-lib-')
    const h = await host(home)
    const empty = await call(h.router, 'library.current')
    expect(empty).toMatchObject({ path: home, imageCount: 0, runningJobs: 0 })
    const queued = await call(h.router, 'jobs.generate', { ...demoJob, n: 2 })
    await h.engine().waitForJobs(queued.jobs.map((j) => j.id))
    const full = await call(h.router, 'library.current')
    expect(full.imageCount).toBe(2)
    expect(full.sizeBytes).toBeGreaterThan(empty.sizeBytes)
  })

  it('creates a new library in an empty folder, switches to it (empty gallery) and back', async () => {
    const first = tempDir('proofsheet-lib-')
    const h = await host(first)
    const queued = await call(h.router, 'jobs.generate', demoJob)
    await h.engine().waitForJobs(queued.jobs.map((j) => j.id))
    const second = join(tempDir('proofsheet-new-'), 'Studio library')

    const created = await call(h.router, 'library.open', { path: second, create: true })
    expect(created).toMatchObject({ path: second, imageCount: 0 })
    expect(existsSync(join(second, 'library.sqlite'))).toBe(true)
    expect(h.home()).toBe(second)
    expect((await call(h.router, 'gallery.list', {})).images).toHaveLength(0)

    const back = await call(h.router, 'library.open', { path: first })
    expect(back).toMatchObject({ path: first, imageCount: 1 })
    expect((await call(h.router, 'gallery.list', {})).images).toHaveLength(1)
  })

  it('remembers recent libraries in the config folder, most recent first; a missing one is marked and removable', async () => {
    const first = tempDir('proofsheet-lib-')
    const h = await host(first)
    const gone = join(tempDir('proofsheet-gone-'), 'lib')
    await call(h.router, 'library.open', { path: gone, create: true })
    const third = join(tempDir('proofsheet-third-'), 'lib')
    await call(h.router, 'library.open', { path: third, create: true })

    let recent = await call(h.router, 'library.recent')
    expect(recent.map((r) => r.path)).toEqual([third, gone, first])
    expect(recent.map((r) => r.current)).toEqual([true, false, false])
    // Kept in the config folder, not in any library.
    expect(JSON.parse(readFileSync(h.recentFile, 'utf8')).libraries).toHaveLength(3)

    await import('node:fs').then((fs) => fs.rmSync(gone, { recursive: true }))
    recent = await call(h.router, 'library.recent')
    expect(recent.find((r) => r.path === gone)).toMatchObject({ missing: true })
    expect(h.recent.lastOpened()).toBe(third)

    expect(await call(h.router, 'library.forget', { path: gone })).toEqual({ ok: true })
    expect((await call(h.router, 'library.recent')).map((r) => r.path)).toEqual([third, first])
    const inUse = await refused(h.router, 'library.forget', { path: third })
    expect(inUse).toMatchObject({ code: 'conflict', field: 'path' })
  })

  it('starts with the library opened last when no folder is named', () => {
    expect(startLibraryHome({ lastOpened: '/lib/last', env: {} })).toBe('/lib/last')
    expect(startLibraryHome({ lastOpened: '/lib/last', env: { PROOFSHEET_HOME: '/lib/env' } })).toBe('/lib/env')
    expect(startLibraryHome({ flag: '/lib/flag', lastOpened: '/lib/last', env: { PROOFSHEET_HOME: '/lib/env' } })).toBe('/lib/flag')
    expect(startLibraryHome({ lastOpened: null, env: { HOME: '/home/d' }, platform: 'linux' })).toBe('/home/d/.local/share/Proofsheet/library')
  })

  it('refuses to switch while jobs run, with their count; "interrupt" switches and the jobs resume when the library reopens', async () => {
    const first = tempDir('proofsheet-lib-')
    // The demo call takes long enough to be caught running; the test never waits for the delay.
    const h = await host(first, { demoDelayMs: 600_000 })
    const queued = await call(h.router, 'jobs.generate', { ...demoJob, n: 1, sizes: [{ width: 320, height: 200 }, { width: 200, height: 320 }] })
    await until(() => h.engine().runningJobs() === 2, 'two jobs running')
    const other = join(tempDir('proofsheet-other-'), 'lib')

    const error = await refused(h.router, 'library.open', { path: other, create: true })
    expect(error).toMatchObject({ code: 'conflict', field: 'whileRunning' })
    expect(error.message).toBe('2 jobs are running in this library; switching now would interrupt them.')
    expect(h.home()).toBe(first)
    expect(existsSync(other)).toBe(false)

    await call(h.router, 'library.open', { path: other, create: true, whileRunning: 'interrupt' })
    expect(h.home()).toBe(other)

    // Reopened (with a quick demo now), the interrupted jobs are recovered and finish.
    const again = await host(first)
    const ids = queued.jobs.map((j) => j.id)
    const jobs = await again.engine().waitForJobs(ids)
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded'])
  })

  it('refuses a folder that is not a library, a non-empty folder to create in, and a relative path, naming the field', async () => {
    const first = tempDir('proofsheet-lib-')
    const h = await host(first)
    const documents = tempDir('proofsheet-docs-')
    writeFileSync(join(documents, 'brief.pdf'), 'not a library')

    const notLibrary = await refused(h.router, 'library.open', { path: documents })
    expect(notLibrary).toMatchObject({ code: 'bad_input', field: 'path', message: `${documents} is not a Proofsheet library: it has no library.sqlite.` })
    const notEmpty = await refused(h.router, 'library.open', { path: documents, create: true })
    expect(notEmpty.message).toBe(`${documents} is not empty (1 item), so a new library is not made there.`)
    expect(notEmpty.fix).toMatch(/empty folder/)
    const missing = await refused(h.router, 'library.open', { path: join(documents, 'nope') })
    expect(missing).toMatchObject({ code: 'not_found', field: 'path' })
    const relative = await refused(h.router, 'library.open', { path: 'libs/studio' })
    expect(relative).toMatchObject({ code: 'bad_input', field: 'path' })
    expect(h.home()).toBe(first)
    expect(existsSync(join(documents, 'library.sqlite'))).toBe(false)
  })

  it('refuses a damaged library and keeps the current one open and working', async () => {
    const first = tempDir('proofsheet-lib-')
    const h = await host(first)
    const damaged = tempDir('proofsheet-damaged-')
    // A real library, then its header torn: SQLite would not know it as a database.
    const db = new BetterSqlite3(join(damaged, 'library.sqlite'))
    db.exec('CREATE TABLE t (x)')
    db.close()
    const bytes = readFileSync(join(damaged, 'library.sqlite'))
    bytes.write('garbage garbage!', 0, 'latin1')
    writeFileSync(join(damaged, 'library.sqlite'), bytes)

    const error = await refused(h.router, 'library.open', { path: damaged })
    expect(error.code).toBe('unavailable')
    expect(error.message).toMatch(/damaged or not a database/)
    expect(h.home()).toBe(first)
    expect((await call(h.router, 'library.current')).path).toBe(first)
    expect((await call(h.router, 'library.recent')).map((r) => r.path)).toEqual([first])
  })

  it('refuses a library made by a newer Proofsheet without changing it', async () => {
    const first = tempDir('proofsheet-lib-')
    const h = await host(first)
    const newer = join(tempDir('proofsheet-newer-'), 'lib')
    await call(h.router, 'library.open', { path: newer, create: true })
    await call(h.router, 'library.open', { path: first })
    const db = new BetterSqlite3(join(newer, 'library.sqlite'))
    db.pragma('user_version = 9999')
    db.close()
    const error = await refused(h.router, 'library.open', { path: newer })
    expect(error.message).toMatch(/newer/)
    expect(h.home()).toBe(first)
  })

  it('a process with no host serves its one library and says so', async () => {
    const home = tempDir('proofsheet-lib-')
    const engine = await createEngine(testEngineOptions(home))
    onTestFinished(() => engine.close())
    const other = tempDir('proofsheet-other-')
    mkdirSync(join(other, 'x'))
    const error = await refused(engine.router, 'library.open', { path: other })
    expect(error).toMatchObject({ code: 'unavailable' })
    expect(await call(engine.router, 'library.recent')).toEqual([])
  })
})
