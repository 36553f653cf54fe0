/**
 * A full or read-only library disk, for real: the library lives on a small tmpfs in a private
 * mount namespace (test/helpers/private-disk.ts), the real `proofsheet` command runs inside it
 * against the provider test server, and the disk fills up or turns read-only at the moment that
 * costs money: while the provider is producing the image. What a user must see: the queue pauses
 * with the reason and the fix, the job that was paid for says so and is not sent again, nothing
 * half-written is left, the database passes integrity_check, and after the disk is fixed the
 * rest of the work finishes.
 */
import { copyFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { freeBallast, privateDisk, type PrivateDisk, type Run } from '../helpers/private-disk'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { sha256File } from '../helpers/sqlite'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const MB = 1024 * 1024
const KEY_VAR = 'PROOFSHEET_TEST_KEY'
const PROMPT = 'a ceramic mug on a full disk'

interface Library {
  disk: PrivateDisk
  /** The library folder inside the namespace. */
  home: string
  cli(args: string[]): Promise<Run>
}

async function libraryOnTmpfs(subMounts: string[] = []): Promise<Library> {
  const disk = await privateDisk(32 * MB)
  for (const sub of subMounts) await disk.mountSub(join('lib', sub), 16 * MB)
  const home = join(disk.dir, 'lib')
  const env = { [KEY_VAR]: server.validKey('openai') }
  return { disk, home, cli: (args) => disk.cli([...args, '--home', home], env) }
}

function queueJobs(lib: Library, sizes: string): Promise<Run> {
  return lib.cli(['generate', '--provider', 'openai', '--base-url', server.baseUrl('openai'), '--key-env', KEY_VAR, '--prompt', PROMPT, '--size', sizes, '--json'])
}

/** The library's rows and integrity, read from a copy so the original is not touched. */
function inspect(lib: Library) {
  const copy = join(tempDir('proofsheet-disk-copy-'), 'library.sqlite')
  copyFileSync(lib.disk.outside('lib', 'library.sqlite'), copy)
  if (existsSync(lib.disk.outside('lib', 'library.sqlite-wal'))) copyFileSync(lib.disk.outside('lib', 'library.sqlite-wal'), `${copy}-wal`)
  const db = new BetterSqlite3(copy)
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      jobs: db.prepare('SELECT id, status, error_code, charged_cost, charge_known FROM jobs ORDER BY created_at, rowid').all() as {
        id: string
        status: string
        error_code: string | null
        charged_cost: number | null
      }[],
      images: (db.prepare('SELECT file, thumb FROM images').all() as { file: string; thumb: string }[]),
    }
  } finally {
    db.close()
  }
}

/** Every file under a library folder (images/ or thumbs/), ballast aside. */
function filesUnder(lib: Library, sub: string): string[] {
  const root = lib.disk.outside('lib', sub)
  if (!existsSync(root)) return []
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile() && d.name !== 'ballast')
    .map((d) => join(d.parentPath, d.name).slice(root.length + 1))
}

const generationsSent = (): number => server.requestsTo('openai', 'generations').filter((r) => r.accepted).length

describe('a library disk that is full or read-only (a real tmpfs in a private mount namespace)', () => {
  it('pauses before sending when there is no room for the image, and runs the job once space is freed', async () => {
    const lib = await libraryOnTmpfs()
    expect((await queueJobs(lib, '1024x1024')).code).toBe(0)
    lib.disk.fill(1 * MB, 'lib')

    const paused = await lib.cli(['run', '--json'])
    expect(paused.code).toBe(1)
    const result = JSON.parse(paused.stdout)
    expect(result.pauseReason).toEqual({ code: 'disk_full', message: expect.stringMatching(/is full/) })
    expect(result.jobs.map((j: { status: string }) => j.status)).toEqual(['queued'])
    expect(generationsSent()).toBe(0)
    expect(server.billed('openai').images).toBe(0)

    // Another door sees the same reason while nothing runs.
    const queue = await lib.cli(['queue'])
    expect(queue.stdout).toMatch(/Queue \(paused\)[\s\S]*is full[\s\S]*fix: Free some space on that disk, then run "proofsheet run" again; or choose another library folder with --home\./)

    freeBallast(lib.disk, 'lib')
    const resumed = await lib.cli(['run', '--json'])
    expect(resumed.stderr).not.toMatch(/^error/m)
    expect(resumed.code).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ pauseReason: null, jobs: [{ status: 'succeeded' }] })
    expect(server.billed('openai').images).toBe(1)
    const after = inspect(lib)
    expect(after.integrity).toBe('ok')
    expect(after.images).toHaveLength(1)
    expect(existsSync(lib.disk.outside('lib', after.images[0]!.file))).toBe(true)
  })

  it('generate --wait on a full disk: nothing is sent, the reason is printed, exit 1', async () => {
    const lib = await libraryOnTmpfs()
    expect((await lib.cli(['queue'])).code).toBe(0) // the library exists
    lib.disk.fill(1 * MB, 'lib')
    const run = await lib.cli(['generate', '--provider', 'openai', '--base-url', server.baseUrl('openai'), '--key-env', KEY_VAR, '--prompt', PROMPT, '--size', '1024x1024', '--wait'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/queued[\s\S]*Queue paused: The disk holding the library folder .* is full[\s\S]*fix: Free some space[\s\S]*1 queued job\(s\) were not sent and cost nothing/)
    expect(generationsSent()).toBe(0)
  })

  it('pauses before sending when the images folder is on a read-only disk', async () => {
    const lib = await libraryOnTmpfs(['images'])
    expect((await queueJobs(lib, '1024x1024')).code).toBe(0)
    await lib.disk.remount('lib/images', 'ro')

    const paused = await lib.cli(['run', '--json'])
    expect(paused.code).toBe(1)
    expect(JSON.parse(paused.stdout).pauseReason).toMatchObject({ code: 'read_only', message: expect.stringMatching(/read-only disk \(EROFS\)/) })
    expect(generationsSent()).toBe(0)

    await lib.disk.remount('lib/images', 'rw')
    const resumed = await lib.cli(['run', '--json'])
    expect(resumed.code).toBe(0)
    expect(server.billed('openai').images).toBe(1)
  })

  it('refuses to open a library on a read-only disk: exit 2 with the reason and the fix, the database byte-identical', async () => {
    const lib = await libraryOnTmpfs()
    expect((await queueJobs(lib, '1024x1024')).code).toBe(0)
    const before = sha256File(lib.disk.outside('lib', 'library.sqlite'))
    const files = readdirSync(lib.disk.outside('lib')).sort()
    await lib.disk.remount('', 'ro')

    for (const args of [['queue'], ['run']]) {
      const run = await lib.cli(args)
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/library at .* is on a read-only disk \(EROFS\)/)
      expect(run.stderr).toMatch(/fix: Make the disk writable again/)
    }
    expect(generationsSent()).toBe(0)
    expect(sha256File(lib.disk.outside('lib', 'library.sqlite'))).toBe(before)
    expect(readdirSync(lib.disk.outside('lib')).sort()).toEqual(files)
    expect(files).not.toContain('library.sqlite-wal')
    expect(inspect(lib).integrity).toBe('ok')
  })

  it('says a completely full disk is full, not that the library is damaged, and opens it once space is freed', async () => {
    const lib = await libraryOnTmpfs()
    expect((await queueJobs(lib, '1024x1024')).code).toBe(0)
    const before = sha256File(lib.disk.outside('lib', 'library.sqlite'))
    lib.disk.fill(0)

    const run = await lib.cli(['queue'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/The disk holding the library at .* is full/)
    expect(run.stderr).toMatch(/fix: Free some space on that disk/)
    expect(run.stderr).not.toMatch(/damaged/)
    expect(sha256File(lib.disk.outside('lib', 'library.sqlite'))).toBe(before)

    freeBallast(lib.disk)
    const queued = await lib.cli(['queue', '--json'])
    expect(queued.code).toBe(0)
    expect(JSON.parse(queued.stdout).jobs).toMatchObject([{ status: 'queued' }])
    expect(inspect(lib).integrity).toBe('ok')
  })

  const midCall = [
    { what: 'the images disk fills', sub: 'images', code: 'disk_full', breakIt: (d: PrivateDisk) => d.fill(0, 'lib/images'), fixIt: (d: PrivateDisk) => freeBallast(d, 'lib/images') },
    { what: 'the thumbnails disk fills', sub: 'thumbs', code: 'disk_full', breakIt: (d: PrivateDisk) => d.fill(0, 'lib/thumbs'), fixIt: (d: PrivateDisk) => freeBallast(d, 'lib/thumbs') },
    { what: 'the images disk turns read-only', sub: 'images', code: 'read_only', breakIt: (d: PrivateDisk) => d.remount('lib/images', 'ro'), fixIt: (d: PrivateDisk) => d.remount('lib/images', 'rw') },
  ] as const

  it.each(midCall)(
    'when $what while the provider works: the paid jobs fail saying what was charged, are not sent again, the queue pauses, and the rest runs after the fix',
    async ({ sub, code, breakIt, fixIt }) => {
      const lib = await libraryOnTmpfs([sub])
      // Three jobs; the provider runs two at once and holds both replies long enough to break the disk.
      expect((await queueJobs(lib, '1024x1024,1024x1536,1536x1024')).code).toBe(0)
      server.inject('openai', 'slow', { delayMs: 4000, times: 2 })
      const running = lib.cli(['run', '--json'])
      await until(() => server.billed('openai').images === 2, 'the provider billed both held calls', 60_000)
      await breakIt(lib.disk)

      const paused = await running
      expect(paused.code).toBe(1)
      const result = JSON.parse(paused.stdout)
      expect(result.pauseReason).toMatchObject({ code })
      const jobs = result.jobs as { status: string; size: string; chargedCost: number; estimatedCost: number; error: { code: string; message: string } | null }[]
      const paidFor = jobs.filter((j) => j.status !== 'queued')
      expect(paidFor.map((j) => j.size).sort()).toEqual(['1024x1024', '1024x1536'])
      for (const paid of paidFor) {
        expect(paid.status).toBe('failed')
        expect(paid.error!.code).toBe(code)
        expect(paid.error!.message).toMatch(/charged \$[\d.]+, but they could not be saved[\s\S]*not sent again; a retry buys/)
        expect(paid.chargedCost).toBeGreaterThan(0)
        // OpenAI's charge is its token usage at the model's prices: on this server below the list price.
        expect(paid.chargedCost).toBeLessThan(paid.estimatedCost)
      }
      expect(jobs.filter((j) => j.status === 'queued')).toMatchObject([{ size: '1536x1024', chargedCost: null, error: null }])
      expect(generationsSent()).toBe(2)
      expect(paused.stdout + paused.stderr).not.toMatch(/unexpected problem/)

      // Nothing half-written: no image or thumbnail file, no temp file, no row without a file.
      const broken = inspect(lib)
      expect(broken.integrity).toBe('ok')
      expect(broken.images).toEqual([])
      expect(filesUnder(lib, 'images')).toEqual([])
      expect(filesUnder(lib, 'thumbs')).toEqual([])

      await fixIt(lib.disk)
      const resumed = await lib.cli(['run', '--json'])
      expect(resumed.code).toBe(0)
      expect(JSON.parse(resumed.stdout).jobs).toMatchObject([{ status: 'succeeded' }])
      // The two paid-for jobs stay failed until the user chooses Retry: three calls in all.
      expect(generationsSent()).toBe(3)
      const fixed = inspect(lib)
      expect(fixed.integrity).toBe('ok')
      expect(fixed.jobs.map((j) => j.status)).toEqual(['failed', 'failed', 'succeeded'])
      expect(fixed.images).toHaveLength(1)
      expect(filesUnder(lib, 'images')).toEqual([fixed.images[0]!.file.replace(/^images\//, '')])
    },
    120_000,
  )

  it('when the disk under the database fills too (SQLITE_FULL): nothing half-written, the run says so, and nothing is sent again', async () => {
    const lib = await libraryOnTmpfs(['images'])
    expect((await queueJobs(lib, '1024x1024')).code).toBe(0)
    const before = inspect(lib)
    server.inject('openai', 'slow', { delayMs: 4000 })
    const running = lib.cli(['run', '--json'])
    await until(() => server.billed('openai').images === 1, 'the provider billed the held call', 60_000)
    lib.disk.fill(0, 'lib/images')
    lib.disk.fill(0, 'lib')

    const paused = await running
    expect(paused.code).toBe(1)
    expect(paused.stdout + paused.stderr).not.toMatch(/unexpected problem/)
    const reason = JSON.parse(paused.stdout).pauseReason
    expect(reason.code).toBe('disk_full')
    expect(reason.message).toMatch(/charged \$[\d.]+, but they could not be saved[\s\S]*could not be recorded in the library either/)

    freeBallast(lib.disk, 'lib')
    freeBallast(lib.disk, 'lib/images')
    const after = inspect(lib)
    expect(after.integrity).toBe('ok')
    // The claim was the last write that fitted: the row says running, with no image and no charge.
    expect(after.jobs).toMatchObject([{ id: before.jobs[0]!.id, status: 'running', charged_cost: null }])
    expect(after.images).toEqual([])
    expect(filesUnder(lib, 'images')).toEqual([])

    // The next runner recovers it as interrupted (may have been charged) and does not send it.
    const next = await lib.cli(['run', '--json'])
    expect(next.code).toBe(1)
    expect(JSON.parse(next.stdout).jobs).toMatchObject([{ status: 'interrupted', error: { message: expect.stringMatching(/may have charged/) } }])
    expect(generationsSent()).toBe(1)
  }, 120_000)
})
