/**
 * Issue 6, crashes: a mixed batch (ToAPIs async tasks, TokenHub sync calls, the demo provider)
 * runs against the provider test server with slow replies while the real engine process (`proofsheet
 * run`) is SIGKILLed at random moments and restarted, many times; then it runs to the end. Afterwards
 * the database, the library folder and the server's ledger must agree: every job finished or is
 * marked interrupted with a message saying what to do, every image is on disk once with its sha256,
 * nothing is half-written or orphaned, no task was submitted twice, and no call that may have been
 * charged was sent again behind the user's back.
 *
 * The randomness is seeded: the seed is printed, and PROOFSHEET_CRASH_SEED=N replays its choices
 * (which jobs, which delays, when to kill). Timing still varies from run to run.
 * PROOFSHEET_CRASH_KILLS=N kills N times instead of 32 (raise the timeout to match).
 * Every process logs into one folder of the test's own (PROOFSHEET_LOG_DIR), searched at the end
 * for keys (today these runs write no line there; see the check at the end).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it, onTestFailed } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { findLeaksInTree } from '../helpers/key-leak-scan'
import { startCli, type CliProcess } from '../helpers/cli-process'
import { mediaFiles } from '../helpers/library-files'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { seededRandom, seedFrom } from '../helpers/seeded-random'
import { sha256File } from '../helpers/sqlite'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'
import type { ProviderServer } from '../provider-server'
import { writeTemplateFile } from '../helpers/template-file'

const SEED = seedFrom(process.env, 'PROOFSHEET_CRASH_SEED')
/** 32 in CI; PROOFSHEET_CRASH_KILLS=200 for a longer hunt on your own machine. */
const KILLS = Number(process.env.PROOFSHEET_CRASH_KILLS) || 32
/** TokenHub splits n into calls of at most this many images (its profile's maxImagesPerCall). */
const TOKENHUB_PER_CALL = 4
/** TokenHub calls at the provider at once (its profile's concurrency): a job's split calls go side by side up to it. */
const TOKENHUB_CONCURRENCY = 3
const PRICE = { toapis: 0.015, tokenhub: 0.125, demo: 0 } as const

let server: ProviderServer
useProviderServer((s) => (server = s))

type Provider = keyof typeof PRICE

interface JobRow {
  id: string
  provider: Provider
  prompt: string
  status: string
  n: number
  error_kind: string | null
  error_message: string | null
  charged_cost: number | null
  remote_task_id: string | null
}

interface ImageRow {
  id: string
  job_id: string
  seq: number
  file: string
  thumb: string
  bytes: number
  sha256: string
}

function readLibrary(home: string): { jobs: JobRow[]; images: ImageRow[] } {
  const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const jobs = db
      .prepare(`SELECT id, provider, prompt, status, json_extract(params, '$.n') AS n, error_kind, error_message,
          CASE WHEN charge_known THEN charged_cost END AS charged_cost, remote_task_id FROM jobs ORDER BY created_at, id`)
      .all() as JobRow[]
    const images = db.prepare('SELECT id, job_id, seq, file, thumb, bytes, sha256 FROM images').all() as ImageRow[]
    return { jobs, images }
  } finally {
    db.close()
  }
}

/** Every file under the library folder whose name marks it as a temporary (half-written) file. */
function tempFiles(home: string): string[] {
  return readdirSync(home, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('.tmp-'))
    .map((e) => relative(home, join(e.parentPath, e.name)))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until `p` says it is running work (or has exited), checking its stderr now and then. */
async function whenRunning(p: CliProcess): Promise<void> {
  let exited = false
  void p.done.then(() => (exited = true))
  await until(() => exited || /Running \d+ job|Nothing queued/.test(p.run.stderr), 'the engine says it is running', 60_000)
}

describe('SIGKILL at random moments, restart, repeat', () => {
  // About a minute on an idle machine; the cap is for a CI runner shared with other work.
  it(`leaves every job finished or clearly interrupted, every file whole, nothing paid twice (seed ${SEED})`, { timeout: 240_000 + Math.max(0, KILLS - 32) * 4000 }, async () => {
    console.log(`crash test seed ${SEED}; replay with PROOFSHEET_CRASH_SEED=${SEED}`)
    onTestFailed(() => console.error(`crash test failed with seed ${SEED}; replay with PROOFSHEET_CRASH_SEED=${SEED}`))
    const rng = seededRandom(SEED)
    const home = tempDir('proofsheet-crash-')
    const work = tempDir('proofsheet-crash-work-')
    const logs = tempDir('proofsheet-crash-logs-')
    const env = {
      PROOFSHEET_LOG_DIR: logs,
      TOAPIS_KEY: server.validKey('toapis'),
      TOKENHUB_KEY: server.validKey('tokenhub'),
      // Long enough to be in the middle of a demo image when the kill comes.
      PROOFSHEET_DEMO_DELAY_MS: '300',
    }
    const providerArgs: Record<Provider, string[]> = {
      toapis: ['--provider', 'toapis', '--base-url', server.baseUrl('toapis'), '--key-env', 'TOAPIS_KEY'],
      tokenhub: ['--provider', 'tokenhub', '--base-url', server.baseUrl('tokenhub'), '--key-env', 'TOKENHUB_KEY'],
      demo: ['--provider', 'demo'],
    }
    const queue = async (args: string[]): Promise<void> => {
      const run = await cliInProcess([...args, '--json', '--home', home], env)
      expect(run.code, run.stderr).toBe(0)
    }

    // Slow replies everywhere: a kill lands in the middle of a call far more often than between calls.
    for (let i = 0; i < 300; i++) {
      server.inject('tokenhub', 'slow', { delayMs: rng.int(100, 1000) })
      server.inject('toapis', 'slow', { delayMs: rng.int(50, 600) })
      server.inject('toapis', 'slow', { on: 'file', delayMs: rng.int(50, 400) })
    }

    // The mixed batch: ToAPIs rows, TokenHub rows (n from 1 to 6, so some jobs need two calls), demo.
    const template = writeTemplateFile(join(work, 'template.json'), [{ name: 'Crash', body: 'Crash test packshot of {{product}}' }])
    const rows = (provider: Provider, count: number, withN: boolean) => {
      const csv = join(work, `${provider}.csv`)
      const lines = Array.from({ length: count }, (_, i) => `${provider}-${i},${provider} kettle ${i}${withN ? `,${rng.int(1, 6)}` : ''}`)
      writeFileSync(csv, `sku,product${withN ? ',count' : ''}\n${lines.join('\n')}\n`)
      return csv
    }
    await queue(['batch', rows('toapis', 4, false), '--template', template, '--sizes', '1:1@1K', ...providerArgs.toapis])
    await queue(['batch', rows('tokenhub', 4, true), '--template', template, '--sizes', '1024x1024', ...providerArgs.tokenhub])
    await queue(['generate', ...providerArgs.demo, '--prompt', 'crash test demo mug', '--size', '320x240,240x320', '--n', '3'])

    const addOne = async (round: number): Promise<void> => {
      const provider = rng.pick(['toapis', 'tokenhub', 'demo'] as const)
      const prompt = `crash round ${round} ${provider} teapot`
      if (provider === 'toapis') await queue(['generate', ...providerArgs.toapis, '--prompt', prompt, '--aspect', '1:1', '--resolution', '1K'])
      else if (provider === 'tokenhub') await queue(['generate', ...providerArgs.tokenhub, '--prompt', prompt, '--size', '1024x1024', '--n', String(rng.int(1, 6))])
      else await queue(['generate', ...providerArgs.demo, '--prompt', prompt, '--size', '256x256', '--n', String(rng.int(1, 4))])
    }

    // Kill, restart, repeat. A quarter of the kills land during start-up (migrations, the sweep,
    // recovery), the rest while work is in flight. New work keeps arriving, as it would.
    let kills = 0
    let leftovers = 0
    for (let round = 0; kills < KILLS && round < KILLS * 3; round++) {
      if (round % 2 === 0) await addOne(round)
      const engine = startCli(['run', '--json', '--home', home], { env })
      const duringStartup = rng.next() < 0.25
      if (!duringStartup) await whenRunning(engine)
      await Promise.race([sleep(duringStartup ? rng.int(0, 600) : rng.int(50, 1100)), engine.done])
      engine.kill()
      const end = await engine.done
      if (end.signal === 'SIGKILL') kills++
      else expect(end.code, engine.run.stderr).not.toBe(2)
      // What this crash left for the next start to sweep (reported, not asserted: it is up to chance).
      const owned = new Set(readLibrary(home).images.flatMap((i) => [i.file, i.thumb]))
      leftovers += mediaFiles(home).filter((f) => !owned.has(f)).length
    }
    expect(kills).toBe(KILLS)

    // Now let it finish.
    const final = startCli(['run', '--json', '--home', home], { env })
    const end = await final.done
    const report = JSON.parse(final.run.stdout) as { jobs: { id: string; status: string }[] }

    const { jobs, images } = readLibrary(home)
    const imagesOf = (id: string) => images.filter((i) => i.job_id === id)

    // 1. Every job is finished, or interrupted with a message that says what happened and what to do.
    for (const job of jobs) {
      expect(['succeeded', 'interrupted'], `${job.id} (${job.provider}) is ${job.status}: ${job.error_message}`).toContain(job.status)
      if (job.status === 'succeeded') {
        expect(imagesOf(job.id).map((i) => i.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: job.n }, (_, i) => i))
        expect(job.charged_cost).toBeCloseTo(PRICE[job.provider] * job.n, 9)
      } else {
        expect(job.error_kind).toBe('interrupted')
        expect(job.error_message).toMatch(/may have charged/)
        expect(job.error_message).toMatch(/a retry asks for/)
        // Only a call that may have been paid for is left to the user: never the free demo.
        expect(job.provider).not.toBe('demo')
      }
    }
    expect(end.code).toBe(jobs.some((j) => j.status === 'interrupted') ? 1 : 0)
    // `run` reports the interrupted jobs it left alone, so the user learns of them.
    const interrupted = jobs.filter((j) => j.status === 'interrupted').map((j) => j.id)
    expect(report.jobs.filter((j) => j.status === 'interrupted').map((j) => j.id).sort()).toEqual([...interrupted].sort())

    // 2. Each image row's file is there, whole, exactly as recorded; nothing else is in the folders.
    for (const image of images) {
      const path = join(home, image.file)
      expect(existsSync(path), image.file).toBe(true)
      expect(sha256File(path), image.file).toBe(image.sha256)
      expect(readFileSync(path).length).toBe(image.bytes)
      expect(existsSync(join(home, image.thumb)), image.thumb).toBe(true)
    }
    expect(mediaFiles(home)).toEqual(images.flatMap((i) => [i.file, i.thumb]).sort())
    expect(tempFiles(home)).toEqual([])

    // 3. ToAPIs: at most one task per job; a finished job's task was billed once, at its price.
    for (const job of jobs.filter((j) => j.provider === 'toapis')) {
      const tasks = server.tasks.filter((t) => t.prompt === job.prompt)
      expect(server.submissionsFor('toapis', job.prompt), job.prompt).toBeLessThanOrEqual(1)
      if (job.status === 'succeeded') {
        expect(tasks).toHaveLength(1)
        const charges = server.charges.toapis.filter((c) => c.taskId === tasks[0]!.id)
        expect(charges.map((c) => c.usd)).toEqual([PRICE.toapis])
      }
    }

    // 4. TokenHub: each call of a job went out at most once, and what the server billed is what
    //    the job recorded, except for the calls a crash cut off, which only an interrupted job has:
    //    its split calls run side by side, so that is every call in flight then (within TokenHub's
    //    concurrency), never a call that had come back (its images were recorded as it landed).
    const billedFor = (prompt: string) => {
      const seqs = new Set(server.requestsTo('tokenhub', 'generations').filter((r) => r.body.kind === 'json' && (r.body.value as { prompt: string }).prompt === prompt).map((r) => r.seq))
      return server.charges.tokenhub.filter((c) => seqs.has(c.requestSeq)).reduce((sum, c) => sum + c.images, 0)
    }
    for (const job of jobs.filter((j) => j.provider === 'tokenhub')) {
      const calls = Math.ceil(job.n / TOKENHUB_PER_CALL)
      const sent = server.submissionsFor('tokenhub', job.prompt)
      expect(sent, `${job.prompt}: calls sent`).toBeLessThanOrEqual(calls)
      const recorded = imagesOf(job.id).length
      if (job.status === 'succeeded') {
        expect(sent).toBe(calls)
        expect(billedFor(job.prompt)).toBe(job.n)
      } else {
        // The lost calls (those that reached the server) were billed but their images never arrived.
        const inFlightAtMost = Math.min(calls, TOKENHUB_CONCURRENCY)
        expect(billedFor(job.prompt)).toBeGreaterThanOrEqual(recorded)
        expect(billedFor(job.prompt) - recorded).toBeLessThanOrEqual(Math.min(job.n - recorded, inFlightAtMost * TOKENHUB_PER_CALL))
        expect(job.charged_cost ?? 0).toBeCloseTo(PRICE.tokenhub * recorded, 9)
      }
    }
    // 5. Every charge on the server belongs to one of our jobs (no stray paid call), and a charge
    //    the jobs did not record is on an interrupted job.
    const byPrompt = new Map(jobs.map((j) => [j.prompt, j]))
    for (const charge of server.charges.toapis) {
      const task = server.tasks.find((t) => t.id === charge.taskId)
      const job = byPrompt.get(task?.prompt ?? '')
      expect(job, `toapis charge for ${task?.prompt}`).toBeDefined()
      if (job!.status !== 'succeeded') expect(job!.status).toBe('interrupted')
    }
    const tokenhubPrompts = new Map(server.requestsTo('tokenhub', 'generations').map((r) => [r.seq, (r.body as { value: { prompt: string } }).value.prompt]))
    for (const charge of server.charges.tokenhub) expect(byPrompt.get(tokenhubPrompts.get(charge.requestSeq) ?? '')).toBeDefined()
    expect(server.internalErrors).toEqual([])
    // The log folder holds only our rotated log files, and no key in any of them. These runs log
    // nothing today (a kill writes no line), so this guards a line a later change may add; that a
    // real line with a key in scope is redacted, a crash's stack trace included, is proven by
    // test/main/security/cli-key-leak.test.ts and test/main/logs.
    for (const name of readdirSync(logs)) expect(name).toMatch(/^cli(\.\d+)?\.log$/)
    expect(findLeaksInTree(logs, [env.TOAPIS_KEY, env.TOKENHUB_KEY])).toEqual([])

    // Interrupted although the cut-off request never reached the server: recovery cannot tell yet
    // (it knows a call was started, not whether it went out), so it errs on the side of the user.
    const neverSent = jobs.filter((j) => {
      if (j.status !== 'interrupted') return false
      const callsKept = Math.ceil(imagesOf(j.id).length / TOKENHUB_PER_CALL)
      return server.submissionsFor(j.provider === 'toapis' ? 'toapis' : 'tokenhub', j.prompt) === (j.provider === 'toapis' ? 0 : callsKept)
    }).length

    // 6. The user's way out: Retry an interrupted TokenHub job. It asks only for the images not
    //    kept, once, and finishes.
    const left = jobs.find((j) => j.status === 'interrupted' && j.provider === 'tokenhub')
    if (left) {
      const before = server.submissionsFor('tokenhub', left.prompt)
      const kept = imagesOf(left.id).length
      const retry = await cliInProcess(['retry', left.id, '--home', home], env)
      expect(retry.code, retry.stderr).toBe(0)
      await startCli(['run', '--json', '--home', home], { env }).done
      const after = readLibrary(home)
      expect(after.jobs.find((j) => j.id === left.id)).toMatchObject({ status: 'succeeded', error_message: null })
      expect(after.images.filter((i) => i.job_id === left.id)).toHaveLength(left.n)
      expect(server.submissionsFor('tokenhub', left.prompt) - before).toBe(Math.ceil((left.n - kept) / TOKENHUB_PER_CALL))
      // Nothing else moved: the other interrupted jobs still wait for their user.
      expect(after.jobs.filter((j) => j.status === 'interrupted')).toHaveLength(interrupted.length - 1)
    }
    console.log(
      `crash test seed ${SEED}: ${kills} kills, ${jobs.length} jobs (${interrupted.length} interrupted, ${neverSent} of them never reached the provider), ${images.length} images, ` +
        `${leftovers} orphan or temporary files left by crashes and swept`,
    )
  })
})
