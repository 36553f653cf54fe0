/**
 * The provider issue's promise, end to end: for every built-in profile, `proofsheet generate
 * --provider ID --base-url URL --key-env VAR ... --wait --json` against a server that behaves as
 * that provider's document says produces correct images, cost records and failures.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import type { ProviderId, ProviderServer } from '../provider-server'

const ROOT = join(import.meta.dirname, '..', '..')
let server: ProviderServer
const homes: string[] = []
const newHome = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-providers-'))
  homes.push(dir)
  return dir
}
useProviderServer((s) => (server = s))
afterAll(() => {
  homes.forEach((h) => rmSync(h, { recursive: true, force: true }))
})

const KEY_VAR = 'PROOFSHEET_TEST_KEY'

const cli = cliInProcess

/** generate --wait against the test server with the right key unless told otherwise. */
function generate(provider: ProviderId, home: string, extra: string[], key = server.validKey(provider)) {
  return cli(
    ['generate', '--provider', provider, '--base-url', server.baseUrl(provider), '--key-env', KEY_VAR, '--prompt', `a ${provider} test shot of a red kettle`, '--wait', '--json', '--home', home, ...extra],
    { [KEY_VAR]: key },
  )
}

interface Case {
  provider: ProviderId
  args: string[]
  width: number
  height: number
  format: string
  images: number
  charged: number | null
}

const cases: Case[] = [
  // OpenAI bills tokens: the reply's usage (9 prompt tokens, 1,399 output tokens on this server) at
  // gpt-image-2's $5 text input and $30 image output per 1M tokens, not the $0.22 list price.
  { provider: 'openai', args: ['--size', '1024x1024'], width: 1024, height: 1024, format: 'png', images: 1, charged: 0.042015 },
  { provider: 'gettoken', args: ['--size', '1536x1024', '--format', 'webp'], width: 1536, height: 1024, format: 'webp', images: 1, charged: 0.804 },
  { provider: 'tokenhub', args: ['--size', '2048x2048', '--n', '2'], width: 2048, height: 2048, format: 'png', images: 2, charged: 0.5 },
  // No published price: the charge stays unknown instead of becoming $0.
  { provider: 'tokensmart', args: ['--size', '1024x1536', '--n', '3'], width: 1024, height: 1536, format: 'png', images: 3, charged: null },
  { provider: 'toapis', args: ['--aspect', '16:9', '--resolution', '2K'], width: 2048, height: 1152, format: 'png', images: 1, charged: 0.02 },
  { provider: 'getimg', args: ['--aspect', '1:1', '--resolution', '2K', '--format', 'jpeg'], width: 2048, height: 2048, format: 'jpeg', images: 1, charged: 0.12 },
]

describe('every built-in profile, spoken exactly', () => {
  it.each(cases)('$provider: images of the right size and format, cost recorded', async (c) => {
    const home = newHome()
    const run = await generate(c.provider, home, c.args)
    expect(run.stderr).not.toMatch(/^error/m)
    expect(run.code).toBe(0)
    const job = run.json().jobs[0]
    expect(job.status).toBe('succeeded')
    expect(job.images).toHaveLength(c.images)
    for (const image of job.images) {
      const meta = await sharp(image.path).metadata()
      expect([meta.width, meta.height, meta.format]).toEqual([c.width, c.height, c.format])
    }
    if (c.charged === null) expect(job.chargedCost).toBeNull()
    else expect(job.chargedCost).toBeCloseTo(c.charged, 9)
    const billed = server.billed(c.provider)
    expect(billed.images).toBe(c.images)
    // Where the provider states its charge in money, ours is the same figure (OpenAI bills tokens).
    if (server.charges[c.provider].every((ch) => ch.usd !== null) && c.charged !== null) expect(job.chargedCost).toBeCloseTo(billed.usd, 9)
    // The key went in the header the profile names, and only to the API, never to a file host.
    const sent = server.requestsTo(c.provider)
    expect(sent.filter((r) => r.route !== 'file').every((r) => r.auth.matched)).toBe(true)
    expect(sent.filter((r) => r.route === 'file').some((r) => r.auth.scheme !== 'none')).toBe(false)
    if (c.provider === 'tokensmart') expect(sent.every((r) => r.auth.scheme === 'x-api-key')).toBe(true)
  })

  it('tokensmart: n=3 becomes three calls of one image each, recorded as one job', async () => {
    const home = newHome()
    await generate('tokensmart', home, ['--size', '1024x1024', '--n', '3'])
    const calls = server.requestsTo('tokensmart', 'generations')
    expect(calls).toHaveLength(3)
    expect(calls.map((r) => (r.body.kind === 'json' ? (r.body.value as { n: number }).n : null))).toEqual([1, 1, 1])
  })

  it('tokenhub: n=10 goes out as calls of at most 4, so a reply stays small in memory', async () => {
    const run = await generate('tokenhub', newHome(), ['--size', '1024x1024', '--n', '10'])
    expect(run.code).toBe(0)
    expect(run.json().jobs[0].images).toHaveLength(10)
    const ns = server.requestsTo('tokenhub', 'generations').map((r) => (r.body.kind === 'json' ? (r.body.value as { n: number }).n : null))
    expect(ns).toEqual([4, 4, 2])
    expect(run.json().jobs[0].chargedCost).toBeCloseTo(10 * 0.125, 9)
  })

  it('tokenhub: the model id it wants, and images delivered as links are downloaded', async () => {
    server.configure({ tokenhub: { delivery: 'file-url' } })
    const run = await generate('tokenhub', newHome(), ['--size', '1024x1024'])
    expect(run.code).toBe(0)
    const [call] = server.requestsTo('tokenhub', 'generations')
    expect(call?.body).toMatchObject({ kind: 'json', value: { model: 'openai/gpt-image-2', format: 'png' } })
    expect(server.requestsTo('tokenhub', 'file')).toHaveLength(1)
  })
})

describe('failures are sorted, and only safe ones retried', () => {
  it('a wrong key fails at once as an auth problem, with one request and no charge', async () => {
    const run = await generate('gettoken', newHome(), ['--size', '1024x1024'], 'gt-wrong-key-000000')
    expect(run.code).toBe(1)
    const job = run.json().jobs[0]
    expect(job).toMatchObject({ status: 'failed', error: { kind: 'auth' }, chargedCost: 0 })
    expect(job.error.message).toMatch(/Check the key/)
    expect(server.requestsTo('gettoken', 'generations')).toHaveLength(1)
  })

  it('a 429 with Retry-After is waited out and retried; the second attempt succeeds', async () => {
    server.inject('tokenhub', { status: 429, retryAfterSeconds: 1 })
    const run = await generate('tokenhub', newHome(), ['--size', '1024x1024'])
    expect(run.code).toBe(0)
    expect(run.json().jobs[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
    const [first, second] = server.requestsTo('tokenhub', 'generations')
    expect(first?.status).toBe(429)
    expect(second?.status).toBe(200)
  })

  it('an HTML error page from a proxy is a provider outage: retried', async () => {
    server.inject('openai', 'html')
    const run = await generate('openai', newHome(), ['--size', '1024x1024'])
    expect(run.code).toBe(0)
    expect(run.json().jobs[0].attempts).toBe(2)
  })

  it.each([
    ['gettoken', 'truncated-base64'],
    ['openai', 'invalid-base64'],
    ['tokenhub', 'not-an-image'],
    ['tokensmart', 'empty-data'],
    ['gettoken', 'reset'],
    ['getimg', { status: 503 }],
  ] as const)('%s %j: nothing broken is kept, and the retry succeeds', async (provider, fault) => {
    server.inject(provider, fault as never)
    const home = newHome()
    const run = await generate(provider, home, provider === 'getimg' ? ['--aspect', '1:1', '--resolution', '1K'] : ['--size', '1024x1024'])
    expect(run.code).toBe(0)
    const job = run.json().jobs[0]
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 })
    expect(job.images).toHaveLength(1)
    // One image on disk: the broken reply left no file behind.
    const gallery = (await cli(['gallery', '--json', '--home', home])).json()
    expect(gallery.images).toHaveLength(1)
    const files = readdirSync(join(home, 'images'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    expect(files.map((f) => f.name)).toEqual([gallery.images[0].file.split('/').pop()])
  })

  it.each([
    ['tokensmart', 'content-policy', 'content_policy', ['--size', '1024x1024']],
    ['openai', 'insufficient-quota', 'billing', ['--size', '1024x1024']],
    ['tokensmart', 'no-image-generated', 'input', ['--size', '1024x1024']],
    ['toapis', { status: 402 }, 'billing', ['--aspect', '1:1', '--resolution', '1K']],
    ['getimg', { status: 402 }, 'billing', ['--aspect', '1:1', '--resolution', '1K']],
    ['gettoken', { status: 404 }, 'input', ['--size', '1024x1024']],
    ['tokensmart', { status: 403 }, 'auth', ['--size', '1024x1024']],
  ] as const)('%s %j is %s and never retried', async (provider, fault, kind, args) => {
    server.inject(provider, fault as never)
    const run = await generate(provider, newHome(), [...args])
    expect(run.code).toBe(1)
    expect(run.json().jobs[0]).toMatchObject({ status: 'failed', attempts: 1, error: { kind } })
    expect(server.requestsTo(provider, 'generations')).toHaveLength(1)
  })

  it('a local reference file for a URL-only provider is refused before any call', async () => {
    const file = join(newHome(), 'shoe.png')
    writeFileSync(file, await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ccc' } }).png().toBuffer())
    const run = await generate('toapis', newHome(), ['--aspect', '1:1', '--resolution', '1K', '--ref', file])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/ToAPIs needs public URLs for reference images/)
    expect(server.requestsTo('toapis')).toHaveLength(0)
  })

  it('openai: a reference file and a PNG mask of its size go out as a multipart edit', async () => {
    const dir = newHome()
    const image = join(dir, 'room.png')
    const mask = join(dir, 'mask.png')
    writeFileSync(image, await sharp({ create: { width: 512, height: 512, channels: 3, background: '#ddd' } }).png().toBuffer())
    writeFileSync(mask, await sharp({ create: { width: 512, height: 512, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer())
    const run = await generate('openai', newHome(), ['--size', '1024x1024', '--ref', image, '--mask', mask])
    expect(run.stderr).not.toMatch(/^error/m)
    expect(run.code).toBe(0)
    const [edit] = server.requestsTo('openai', 'edits')
    expect(edit?.body).toMatchObject({
      kind: 'multipart',
      files: [
        { field: 'image', type: 'image/png' },
        { field: 'mask', type: 'image/png' },
      ],
    })
  })

  it('tokenhub: reference links go out as a JSON edit, never as files', async () => {
    const run = await generate('tokenhub', newHome(), ['--size', '1024x1024', '--ref', 'https://cdn.example.com/mug.png'])
    expect(run.code).toBe(0)
    const [edit] = server.requestsTo('tokenhub', 'edits')
    expect(edit?.body).toMatchObject({ kind: 'json', value: { image: 'https://cdn.example.com/mug.png', model: 'openai/gpt-image-2' } })
  })

  it('a local reference file goes to TokenHub as a multipart edit', async () => {
    const file = join(newHome(), 'mug.png')
    writeFileSync(file, await sharp({ create: { width: 256, height: 256, channels: 3, background: '#eee' } }).png().toBuffer())
    const run = await generate('tokenhub', newHome(), ['--size', '1024x1024', '--ref', file])
    expect(run.code).toBe(0)
    const [edit] = server.requestsTo('tokenhub', 'edits')
    expect(edit?.body).toMatchObject({ kind: 'multipart', files: [{ field: 'image', type: 'image/png' }] })
  })
})

describe('async tasks survive a crash without being submitted twice', () => {
  it('kill -9 while polling ToAPIs, then `run`: the same task is polled to completion', async () => {
    server.inject('toapis', 'task-stuck', { polls: 4 })
    const home = newHome()
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'generate', '--provider', 'toapis', '--base-url', server.baseUrl('toapis'), '--key-env', KEY_VAR, '--prompt', 'crash test kettle', '--aspect', '1:1', '--resolution', '1K', '--wait', '--home', home],
      { cwd: ROOT, env: { ...process.env, [KEY_VAR]: server.validKey('toapis') }, stdio: 'ignore' },
    )
    const dbFile = join(home, 'library.sqlite')
    const taskId = await new Promise<string>((resolve, reject) => {
      const started = Date.now()
      const timer = setInterval(() => {
        if (Date.now() - started > 60_000) return reject(new Error('no task id was recorded'))
        if (!existsSync(dbFile) || server.tasks.length === 0 || server.tasks[0]!.polls < 1) return
        const db = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true })
        const row = db.prepare('SELECT remote_task_id AS t FROM jobs').get() as { t: string | null } | undefined
        db.close()
        if (row?.t) {
          clearInterval(timer)
          resolve(row.t)
        }
      }, 100)
    })
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(server.tasks[0]?.status).not.toBe('completed')

    const run = await cli(['run', '--json', '--home', home], { [KEY_VAR]: server.validKey('toapis') })
    expect(run.code).toBe(0)
    expect(run.json().jobs[0]).toMatchObject({ status: 'succeeded', chargedCost: 0.015 })
    expect(server.tasks).toHaveLength(1)
    expect(server.tasks[0]).toMatchObject({ id: taskId, status: 'completed' })
    expect(server.requestsTo('toapis', 'generations')).toHaveLength(1)
    expect(server.billed('toapis').images).toBe(1)
  })
})
