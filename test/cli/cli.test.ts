import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { cliInProcess as runInProcess } from '../helpers/cli-in-process'

const ROOT = join(import.meta.dirname, '..', '..')
const homes: string[] = []
const newHome = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-cli-'))
  homes.push(dir)
  return dir
}
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })))

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The real command, as a script would run it: a separate process through `npm run cli`. */
function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'cli', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, PROOFSHEET_DEMO_DELAY_MS: '50', ...opts.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(opts.stdin ?? '')
  })
}


/** The same entry point in-process, for the many checks that need no separate process. */
const cliInProcess = (args: string[]) => runInProcess(args, { PROOFSHEET_DEMO_DELAY_MS: '10' })

describe('proofsheet generate --wait (the documented first run)', () => {
  it('writes a 1024x1024 PNG, records it with its cost and prints it as JSON', async () => {
    const home = newHome()
    const run = await cli(['generate', '--provider', 'demo', '--prompt', 'white sneaker on a white desk', '--size', '1024x1024', '--wait', '--json', '--home', home])
    expect(run.stderr).not.toMatch(/error/i)
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.jobs).toHaveLength(1)
    const job = result.jobs[0]
    expect(job.status).toBe('succeeded')
    expect(job.estimatedCost).toBe(0)
    expect(job.chargedCost).toBe(0)
    const image = job.images[0]
    expect(image.path.startsWith(home)).toBe(true)
    const meta = await sharp(image.path).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024])

    const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true })
    const row = db.prepare('SELECT i.width, i.height, i.format, i.sha256, j.charged_cost, j.estimated_cost FROM images i JOIN jobs j ON j.id = i.job_id').get()
    db.close()
    expect(row).toEqual({ width: 1024, height: 1024, format: 'png', sha256: image.sha256, charged_cost: 0, estimated_cost: 0 })
  })
})

describe('bad input exits 2 with a message naming the flag and the fix', () => {
  const cases: [string[], RegExp][] = [
    [['generate', '--provider', 'demo', '--prompt', 'x', '--szie', '1024x1024'], /Unknown flag --szie[\s\S]*Did you mean --size/],
    [['generate', '--provider', 'demo', '--prompt', 'x', '--size', '1024 x 1024'], /--size "1024 x 1024" is not WIDTHxHEIGHT/],
    [['generate', '--provider', 'demo', '--prompt', 'x', '--size', '1024x1024', '--n', 'two'], /--n must be a whole number from 1 to 10/],
    [['generate', '--provider', 'demo', '--size', '1024x1024'], /--prompt is required/],
    [['generate', '--prompt', 'x', '--size', '1024x1024'], /--provider is required/],
    [['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '1024x1024', '--format', 'gif'], /--format: not one of[\s\S]*Use one of: png, jpeg, webp/],
    [['estimate', '--provider', 'nope', '--prompt', 'x', '--size', '1024x1024'], /Unknown provider "nope"[\s\S]*fix: Use one of: demo/],
    [['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '1024x1024', '--background', 'transparent', '--format', 'jpeg'], /transparent background needs png or webp/],
    [['estimate', '--provider', 'toapis', '--prompt', 'x', '--aspect', '21:9', '--resolution', '1K'], /21:9 is not available at 1K[\s\S]*At 1K use: 1:1, 3:2, 2:3/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['queue', '--status', 'done'], /--status "done" is not a job status/],
    [['generate', '--home'], /--home needs a value/],
    // A schema's own check: said in pixels, and the fix names the flag, not the engine's field.
    [['generate', '--provider', 'demo', '--prompt', 'x', '--size', '1024x1024', '--base-url', 'ftp://files.example.com/v1'], /--base-url: must be an http\(s\) URL[\s\S]*fix: Correct --base-url and try again\./],
    [['estimate', '--provider', 'demo', '--prompt', 'x', '--size', '10x1024'], /--size: each side must be at least 16 pixels\nfix: Correct --size and try again\./],
  ]
  it.each(cases)('%j', async (args, message) => {
    const home = newHome()
    const run = await cliInProcess([...args, ...(args.includes('--home') ? [] : ['--home', home])])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(/^fix: /m)
  })

  it('--json also puts the error on stdout as one JSON document', async () => {
    const run = await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'x', '--size', 'big', '--json', '--home', newHome()])
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout).error).toMatchObject({ flag: '--size' })
  })

  it('refuses a paid provider without a key, queueing nothing, and says how to add one', async () => {
    const home = newHome()
    const run = await cliInProcess(['generate', '--provider', 'toapis', '--prompt', 'x', '--aspect', '1:1', '--resolution', '1K', '--home', home])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/ToAPIs needs an API key and none is stored/)
    expect(run.stderr).toMatch(/fix: Add one with "proofsheet keys add toapis --label NAME", or pass --key-env VAR/)
    const queue = await cliInProcess(['queue', '--json', '--home', home])
    expect(JSON.parse(queue.stdout).jobs).toEqual([])
  })

  it('a folder where queue.lock belongs is named with the fix, instead of waiting for a runner that is not there', async () => {
    const home = newHome()
    mkdirSync(join(home, 'queue.lock'))
    const run = await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'x', '--size', '64x64', '--wait', '--home', home])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/queue\.lock is not a file/)
    expect(run.stderr).toMatch(/^fix: Remove .*queue\.lock/m)
  })
})

describe('queue, cancel, run and gallery', () => {
  it('queues without --wait, cancels one job, runs the rest and finds it in the gallery', async () => {
    const home = newHome()
    const first = await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'red kettle on a shelf', '--size', '640x480', '--json', '--home', home])
    expect(first.code).toBe(0)
    const queued = JSON.parse(first.stdout).jobs[0]
    expect(queued.status).toBe('queued')

    const second = JSON.parse((await cliInProcess(['generate', '--provider', 'demo', '--prompt', 'blue mug studio light', '--size', '512x512', '--json', '--home', home])).stdout).jobs[0]
    const canceled = await cliInProcess(['cancel', second.id, '--json', '--home', home])
    expect(JSON.parse(canceled.stdout).status).toBe('canceled')

    const run = await cliInProcess(['run', '--json', '--home', home])
    const ran = JSON.parse(run.stdout).jobs as { id: string; status: string }[]
    const byId = new Map(ran.map((j) => [j.id, j.status]))
    expect(run.code).toBe(0)
    expect(byId.get(queued.id)).toBe('succeeded')
    expect(byId.has(second.id)).toBe(false)

    const gallery = JSON.parse((await cliInProcess(['gallery', '--search', 'kettle', '--json', '--home', home])).stdout)
    expect(gallery.images).toHaveLength(1)
    expect(gallery.images[0]).toMatchObject({ width: 640, height: 480, prompt: 'red kettle on a shelf' })
    expect(existsSync(gallery.images[0].path)).toBe(true)
    const none = JSON.parse((await cliInProcess(['gallery', '--search', 'mug', '--json', '--home', home])).stdout)
    expect(none.images).toEqual([])
  })
})

describe('keys', () => {
  it('adds a key from stdin into the OS keychain, never echoing it, then lists and removes it', async () => {
    const home = newHome()
    const secret = 'sk-proofsheet-test-9f8e7d6c5b4a3456'
    const add = await cli(['keys', 'add', 'gettoken', '--label', 'spring catalog', '--json', '--home', home], { stdin: secret })
    expect(add.stderr).not.toContain(secret)
    expect(add.stdout).not.toContain(secret)
    expect(add.code).toBe(0)
    const key = JSON.parse(add.stdout)
    expect(key).toMatchObject({ provider: 'gettoken', label: 'spring catalog', last4: '3456', backend: 'keychain' })

    // A new process still finds it: it is in the keychain, not in this process's memory.
    const list = await cli(['keys', 'list', '--json', '--home', home])
    expect(list.stdout).not.toContain(secret)
    expect(JSON.parse(list.stdout).keys).toEqual([expect.objectContaining({ id: key.id, available: true })])
    expect(readFileSync(join(home, 'library.sqlite')).includes(secret)).toBe(false)

    const remove = await cli(['keys', 'remove', key.id, '--json', '--home', home])
    expect(remove.code).toBe(0)
    expect(JSON.parse((await cli(['keys', 'list', '--json', '--home', home])).stdout).keys).toEqual([])
  })

  it('refuses an empty stdin and a key for a provider that needs none', async () => {
    const home = newHome()
    const empty = await cliInProcess(['keys', 'add', 'gettoken', '--label', 'x', '--home', home])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/No key arrived on stdin/)
    const demo = await cli(['keys', 'add', 'demo', '--label', 'x', '--home', home], { stdin: 'sk-abcdefgh12345' })
    expect(demo.code).toBe(2)
    expect(demo.stderr).toMatch(/demo needs no key/)
    expect(demo.stderr).not.toContain('sk-abcdefgh12345')
  })
})

describe('estimate', () => {
  it('prices each size by its tier and needs no prompt', async () => {
    const run = await cliInProcess(['estimate', '--provider', 'tokenhub', '--size', '1024x1024,2048x2048,3840x2160', '--n', '2', '--json', '--home', newHome()])
    expect(run.code).toBe(0)
    const estimate = JSON.parse(run.stdout)
    expect(estimate.lines.map((l: { size: string; subtotal: number }) => [l.size, l.subtotal])).toEqual([
      ['1024x1024', 0.25],
      ['2048x2048', 0.5],
      ['3840x2160', 1],
    ])
    expect(estimate.total).toBe(1.75)
    expect(estimate.currency).toBe('USD')
  })
})
