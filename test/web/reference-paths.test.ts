/**
 * The interface may name only reference images stored in the library (refs.import) or https
 * links; local paths are the command line's. Sent over real HTTP to the browser-mode bridge in
 * front of an engine opened as browser mode opens it: a path anywhere else is refused with one
 * answer whether the file exists or not, no byte of any file comes back, and nothing is queued.
 */
import { request } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiErrorData, ImportedReference, Result } from '../../src/shared/api'
import { startBridge, type Bridge } from '../../src/web/bridge-server'
import { expectClearError, librarySnapshot, useSharedEngine } from '../helpers/hostile'

const TOKEN = 'reference-paths-token-0123456789abcdef0123'
const library = useSharedEngine()
let bridge: Bridge
let site = ''
let outside = ''

/** What a private file holds; no answer may carry it, in any spelling. */
const SECRET = 'PRIVATE-KEY-MATERIAL-7f3a9c'

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'proofsheet-refpaths-site-'))
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Proofsheet</title>')
  bridge = await startBridge({ router: library.engine.router, home: library.home, staticDir: site, token: TOKEN })
  outside = mkdtempSync(join(tmpdir(), 'proofsheet-refpaths-outside-'))
  writeFileSync(join(outside, 'id_rsa'), `-----BEGIN ${SECRET}-----\n`)
  // Real images a request could pull in: the old engine took them and sent them on.
  writeFileSync(join(outside, 'holiday.png'), await sharp({ create: { width: 64, height: 64, channels: 4, background: '#c84' } }).png().toBuffer())
  writeFileSync(join(outside, 'mask.png'), await sharp({ create: { width: 64, height: 64, channels: 4, background: '#0000' } }).png().toBuffer())
})
afterAll(async () => {
  await bridge?.close()
  rmSync(site, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

function call(name: string, input: unknown): Promise<Result<unknown>> {
  const body = JSON.stringify({ name, input })
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: '/api/call',
        method: 'POST',
        headers: { Host: `127.0.0.1:${bridge.port}`, Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<unknown>))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function importPng(name: string, background: string): Promise<ImportedReference> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 4, background } }).png().toBuffer()
  const result = await call('refs.import', { name, base64: png.toString('base64') })
  if (!result.ok) throw new Error(`refs.import failed: ${JSON.stringify(result.error)}`)
  return result.value as ImportedReference
}

const demo = (extra: Record<string, unknown>) => ({ provider: 'demo', prompt: 'the mug on marble', sizes: [{ width: 64, height: 64 }], ...extra })

/** The refusal with the path the caller sent taken out: what is left must not depend on the disk. */
const withoutPath = (error: ApiErrorData, path: string): ApiErrorData => ({ ...error, message: error.message.split(path).join('<path>') })

/** Nothing read from a file: no secret text, no hex or base64 of it, no "start with" bytes. */
function expectNoFileBytes(answer: unknown): void {
  const text = JSON.stringify(answer)
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain(Buffer.from('-----BEGIN').toString('hex').slice(0, 8))
  expect(text).not.toMatch(/\b[0-9a-f]{2}( [0-9a-f]{2}){3,}\b/)
  expect(text).not.toMatch(/start with/)
}

async function refusedWithoutTrace(name: 'jobs.generate' | 'jobs.estimate', input: unknown, field: 'refs' | 'mask'): Promise<ApiErrorData> {
  const before = librarySnapshot(library.home)
  const result = await call(name, input)
  if (result.ok) throw new Error(`${name} was accepted: ${JSON.stringify(result.value).slice(0, 300)}`)
  expectClearError(result.error, { field, says: /not (a reference image|an image) stored in this library/ })
  // The app words this remedy with its Reference images panel; the engine names no control.
  expect(result.error.remedy).toEqual({ code: 'stored_reference', field })
  expectNoFileBytes(result.error)
  expect(librarySnapshot(library.home)).toEqual(before)
  return result.error
}

const storedRef = (path: string) => ({ kind: 'stored', path })

describe('through the bridge, requests name only stored references or https links', () => {
  it('refuses a local file by its kind, even one the library stores: only the command line may send files', async () => {
    const photo = await importPng('kept.png', '#36c')
    const mask = await importPng('kept mask.png', '#0000')
    for (const name of ['jobs.generate', 'jobs.estimate'] as const) {
      await refusedWithoutTrace(name, demo({ refs: [{ kind: 'file', path: photo.path }] }), 'refs')
      await refusedWithoutTrace(name, demo({ refs: [storedRef(photo.path)], mask: { kind: 'file', path: mask.path } }), 'mask')
    }
  })

  it('refuses /etc/shadow, a private key, a missing file and an image outside the library with one answer, for generate and estimate', async () => {
    const paths = ['/etc/shadow', '/root/.ssh/id_rsa', join(outside, 'id_rsa'), join(outside, 'id_ed25519-missing'), join(outside, 'holiday.png'), '/etc']
    for (const name of ['jobs.generate', 'jobs.estimate'] as const) {
      const answers = []
      for (const path of paths) answers.push(withoutPath(await refusedWithoutTrace(name, demo({ refs: [storedRef(path)] }), 'refs'), path))
      // Present or absent, readable or not, image or not: the same words.
      for (const answer of answers) expect(answer).toEqual(answers[0])
    }
    const jobs = await call('jobs.list', {})
    expect(jobs).toMatchObject({ ok: true, value: { jobs: [] } })
  })

  it('refuses a symlink placed in refs/ under a content-hash name when it leads out of the library', async () => {
    const stored = await importPng('kept.png', '#36c')
    const refs = join(library.home, 'refs')
    mkdirSync(refs, { recursive: true })
    const toImage = join(refs, `${'a'.repeat(64)}.png`)
    const toSecret = join(refs, `${'b'.repeat(64)}.png`)
    symlinkSync(join(outside, 'holiday.png'), toImage)
    symlinkSync(join(outside, 'id_rsa'), toSecret)
    try {
      const image = withoutPath(await refusedWithoutTrace('jobs.generate', demo({ refs: [storedRef(toImage)] }), 'refs'), toImage)
      const secret = withoutPath(await refusedWithoutTrace('jobs.generate', demo({ refs: [storedRef(toSecret)] }), 'refs'), toSecret)
      expect(secret).toEqual(image)
      // refs.describe reads nothing through such a link either.
      const described = await call('refs.describe', { paths: [toSecret, stored.path] })
      expect(described).toMatchObject({ ok: true, value: { references: [{ found: false }, { found: true }] } })
      expectNoFileBytes(described)
    } finally {
      rmSync(toImage)
      rmSync(toSecret)
    }
  })

  it('refuses a mask path outside the library, even beside a stored reference', async () => {
    const photo = await importPng('mug.png', '#c33')
    const error = await refusedWithoutTrace('jobs.generate', demo({ refs: [storedRef(photo.path)], mask: storedRef(join(outside, 'mask.png')) }), 'mask')
    expect(error.fix).toMatch(/mask/)
    await refusedWithoutTrace('jobs.generate', demo({ refs: [storedRef(photo.path)], mask: storedRef('/etc/shadow') }), 'mask')
  })

  it('refuses a batch row whose reference names a file outside the library, the same whether it exists or not', async () => {
    const preview = async (reference: string) => {
      const result = await call('batches.preview', {
        template: { name: 'T', body: '{{product}} on white' },
        table: `product,reference\nmug,${reference}\n`,
        settings: { provider: 'demo', sizes: [{ width: 64, height: 64 }] },
      })
      if (!result.ok) throw new Error(JSON.stringify(result.error))
      const [row] = (result.value as { rows: { problems: { field: string; message: string }[] }[] }).rows
      return row!.problems.map((p) => ({ ...p, message: p.message.split(reference).join('<path>') }))
    }
    const present = await preview(join(outside, 'holiday.png'))
    expect(present).toEqual([{ field: 'reference', message: expect.stringMatching(/not a reference image stored in this library/) }])
    expect(await preview(join(outside, 'nothing-here.png'))).toEqual(present)
    expect(await preview('/etc/shadow')).toEqual(present)
  })

  it('still queues a job whose reference and mask were added through refs.import, or an https link where the provider takes one', async () => {
    const photo = await importPng('shoe.png', '#3a6')
    const mask = await importPng('shoe mask.png', '#0000')
    const queued = await call('jobs.generate', demo({ refs: [storedRef(photo.path)], mask: storedRef(mask.path) }))
    expect(queued).toMatchObject({ ok: true, value: { jobs: [{ provider: 'demo' }] } })
    const estimate = await call('jobs.estimate', demo({ refs: [storedRef(photo.path)], mask: storedRef(mask.path) }))
    expect(estimate).toMatchObject({ ok: true })
    const link = await call('jobs.estimate', { provider: 'toapis', prompt: 'p', sizes: [{ aspect: '1:1', resolution: '1K' }], refs: [{ kind: 'link', url: 'https://cdn.example.com/shoe.png' }] })
    expect(link).toMatchObject({ ok: true })
  })
})
