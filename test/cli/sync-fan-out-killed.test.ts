/**
 * Issue 15, sync fan-out: a TokenHub job of n = 10 is three calls (4 + 4 + 2 images, TokenHub's
 * maxImagesPerCall is 4), sent side by side within TokenHub's concurrency of 3 instead of one after
 * another. Against the provider test server through the real command: the calls are at the server
 * together; and when the engine process is SIGKILLed while two calls are out and the third has
 * come back, the third's images are in the library, the two cut off are marked sent on the job's
 * row, and what the server billed beyond what the job kept is exactly those two calls (the bound a
 * crash has now: the calls in flight, no longer one call). The restart leaves the job interrupted
 * and sends nothing again.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { startCli } from '../helpers/cli-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { sha256File } from '../helpers/sqlite'
import { tempDir } from '../helpers/temp-dir'
import { until } from '../helpers/wait'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const PRICE = 0.125
const N = 10
/** The seq each call of a job of n = 10 starts at, and how many images it asks for. */
const CALLS = new Map([
  [0, 4],
  [4, 4],
  [8, 2],
])

const env = () => ({ TH_KEY: server.validKey('tokenhub') })

async function queueJob(home: string, prompt: string): Promise<string> {
  const args = ['generate', '--provider', 'tokenhub', '--base-url', server.baseUrl('tokenhub'), '--key-env', 'TH_KEY', '--prompt', prompt, '--size', '1024x1024', '--n', String(N)]
  const queued = await cliInProcess([...args, '--json', '--home', home], env())
  expect(queued.code, queued.stderr).toBe(0)
  return queued.json().jobs[0].id as string
}

interface Library {
  job: { status: string; charged_cost: number | null; remote_task_id: string | null; error_message: string | null }
  images: { seq: number; file: string; bytes: number; sha256: string }[]
}

function readLibrary(home: string, id: string): Library {
  const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const job = db.prepare('SELECT status, charged_cost, remote_task_id, error_message FROM jobs WHERE id = ?').get(id) as Library['job']
    const images = db.prepare('SELECT seq, file, bytes, sha256 FROM images WHERE job_id = ? ORDER BY seq').all(id) as Library['images']
    return { job, images }
  } finally {
    db.close()
  }
}

describe('the split calls of a TokenHub job', () => {
  it('are at the provider together, and the job keeps every image at the sum of the calls', async () => {
    // Each call is held at the server a while: calls made one after another never overlap.
    server.inject('tokenhub', 'slow', { on: 'generations', times: 3, delayMs: 300 })
    const home = tempDir('proofsheet-sync-fan-out-')
    const prompt = 'sync fan-out: three calls at once'
    const id = await queueJob(home, prompt)
    const run = await cliInProcess(['run', '--json', '--home', home], env())
    expect(run.code, run.stderr).toBe(0)

    expect(server.inFlight('tokenhub').peak).toBe(3)
    expect(server.submissionsFor('tokenhub', prompt)).toBe(3)
    const { job, images } = readLibrary(home, id)
    expect(job.status).toBe('succeeded')
    expect(images.map((i) => i.seq)).toEqual(Array.from({ length: N }, (_, i) => i))
    expect(job.charged_cost).toBeCloseTo(N * PRICE, 9)
    expect(server.billed('tokenhub').images).toBe(N)
    expect(job.remote_task_id).toBeNull()
  })

  it('killed with two calls out and one back: the one back is kept, the loss is the two in flight, nothing is sent again', { timeout: 120_000 }, async () => {
    // The first two calls to arrive stay at the server far longer than the test; the third answers.
    server.inject('tokenhub', 'slow', { on: 'generations', times: 2, delayMs: 600_000 })
    const home = tempDir('proofsheet-sync-fan-out-kill-')
    const prompt = 'sync fan-out: killed mid-flight'
    const id = await queueJob(home, prompt)

    const engine = startCli(['run', '--json', '--home', home], { env: env() })
    let exited = false
    void engine.done.then(() => (exited = true))
    await until(() => exited || (readLibrary(home, id).images.length > 0 && server.inFlight('tokenhub').now === 2), 'one call is saved while two are at the provider', 60_000)
    engine.kill('SIGKILL')
    expect((await engine.done).signal, engine.run.stderr).toBe('SIGKILL')

    // What the crash left: one whole call's images, on disk as recorded, and its charge only.
    const crashed = readLibrary(home, id)
    const firstKept = crashed.images[0]!.seq
    const keptCount = CALLS.get(firstKept)
    expect(keptCount).toBeDefined()
    expect(crashed.images.map((i) => i.seq)).toEqual(Array.from({ length: keptCount! }, (_, i) => firstKept + i))
    for (const image of crashed.images) {
      const path = join(home, image.file)
      expect(existsSync(path), image.file).toBe(true)
      expect(readFileSync(path).length).toBe(image.bytes)
      expect(sha256File(path)).toBe(image.sha256)
    }
    expect(crashed.job.charged_cost).toBeCloseTo(keptCount! * PRICE, 9)
    // The two calls cut off are marked sent on the row (no task id: a sync call has none).
    const cutOff = [...CALLS.keys()].filter((seq) => seq !== firstKept)
    expect(JSON.parse(crashed.job.remote_task_id!)).toEqual(Object.fromEntries(cutOff.map((seq) => [String(seq), ''])))

    // The server billed every call on receipt: the loss is the images of the calls in flight.
    const lost = cutOff.reduce((sum, seq) => sum + CALLS.get(seq)!, 0)
    expect(server.billed('tokenhub').images - crashed.images.length).toBe(lost)
    expect(server.inFlight('tokenhub').peak).toBe(3)

    // The restart sends nothing again on its own and says what was kept and what to check.
    const after = await cliInProcess(['run', '--json', '--home', home], env())
    expect(after.code, after.stderr).toBe(1)
    const settled = readLibrary(home, id)
    expect(settled.job.status).toBe('interrupted')
    expect(settled.job.error_message).toContain(`${keptCount} of ${N} images were saved and are kept`)
    expect(settled.images).toEqual(crashed.images)
    expect(server.submissionsFor('tokenhub', prompt)).toBe(3)
  })
})
