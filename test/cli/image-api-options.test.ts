/**
 * The Images API spoken completely, through the CLI against the provider test server: OpenAI's
 * token usage becomes the charged amount (shown beside the list price), the optional fields people
 * use (size auto, moderation, input fidelity, user) go only where a provider documents them, and
 * edits with links travel in the JSON form (OpenAI's `images: [{image_url}]`, TokenHub's `image`),
 * local files and masks beside them as data URLs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { cliInProcess as cli } from '../helpers/cli-in-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import type { ProviderId, ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))
const dirs: string[] = []
const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-image-api-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const KEY_VAR = 'PROOFSHEET_TEST_KEY'
const PROMPT = 'a white mug on oak' // 18 characters: 5 text tokens on the test server

function generate(provider: ProviderId, home: string, extra: string[], json = true) {
  return cli(
    ['generate', '--provider', provider, '--base-url', server.baseUrl(provider), '--key-env', KEY_VAR, '--prompt', PROMPT, '--wait', ...(json ? ['--json'] : []), '--home', home, ...extra],
    { [KEY_VAR]: server.validKey(provider) },
  )
}

async function png(dir: string, name: string, width: number, height: number, alpha = false): Promise<string> {
  const path = join(dir, name)
  const background = alpha ? { r: 0, g: 0, b: 0, alpha: 0 } : '#ddd'
  writeFileSync(path, await sharp({ create: { width, height, channels: alpha ? 4 : 3, background } }).png().toBuffer())
  return path
}

function jsonBody(provider: ProviderId, route: 'edits' | 'generations'): Record<string, unknown> {
  const [request] = server.requestsTo(provider, route)
  expect(request?.body.kind).toBe('json')
  return (request!.body as { value: Record<string, unknown> }).value
}

describe('OpenAI usage is the charge', () => {
  it('records the reply usage and charges it at the token prices, beside the list price', async () => {
    const home = newDir()
    const run = await generate('openai', home, ['--size', '1024x1024'])
    expect(run.code).toBe(0)
    const job = run.json().jobs[0]
    // 5 text tokens x $5 + 1,399 output tokens x $30 per 1M (gpt-image-2), not the $0.22 list price.
    expect(job).toMatchObject({
      status: 'succeeded',
      estimatedCost: 0.22,
      chargedCost: 0.041995,
      chargeBasis: 'tokens',
      usage: { inputTokens: 5, inputTextTokens: 5, inputImageTokens: 0, outputTokens: 1399, totalTokens: 1404 },
    })
    expect(job.chargeSource).toMatch(/gpt-image-2.*read 2026-12-07/)
    // The row spend summaries read says the same.
    const db = new BetterSqlite3(join(home, 'library.sqlite'), { readonly: true })
    const row = db.prepare('SELECT charged_cost, charge_known, charge_basis, usage FROM jobs').get() as Record<string, unknown>
    db.close()
    expect(row).toMatchObject({ charged_cost: 0.041995, charge_known: 1, charge_basis: 'tokens' })
    expect(JSON.parse(row.usage as string)).toMatchObject({ outputTokens: 1399 })

    const human = await generate('openai', newDir(), ['--size', '1024x1024'], false)
    expect(human.stdout).toMatch(/charged \$0\.042 from 5 input \+ 1,399 output tokens · list \$0\.22/)
  })

  it('sums usage over the calls of one job (n=6 goes as 4 + 2), reference image tokens at their own price', async () => {
    const dir = newDir()
    const ref = await png(dir, 'mug.png', 256, 256)
    const run = await generate('openai', newDir(), ['--size', '1024x1024', '--n', '6', '--ref', ref])
    expect(run.code).toBe(0)
    const job = run.json().jobs[0]
    expect(server.requestsTo('openai', 'edits')).toHaveLength(2)
    expect(job.usage).toEqual({ inputTokens: 2 * (5 + 272), inputTextTokens: 10, inputImageTokens: 544, outputTokens: 6 * 1399, totalTokens: 2 * 277 + 6 * 1399 })
    // 10 x $5 + 544 x $8 + 8,394 x $30 per 1M
    expect(job.chargedCost).toBeCloseTo((10 * 5 + 544 * 8 + 8394 * 30) / 1e6, 9)
  })

  it('a provider without usage keeps the list price as the charge', async () => {
    const run = await generate('tokenhub', newDir(), ['--size', '1024x1024'])
    expect(run.json().jobs[0]).toMatchObject({ chargedCost: 0.125, chargeBasis: 'table', usage: null })
  })
})

describe('optional fields, only where documented', () => {
  it('sends size auto, moderation and user to OpenAI generations, and prices auto at the 1K list price', async () => {
    const run = await generate('openai', newDir(), ['--size', 'auto', '--moderation', 'low', '--user', 'user-1234'])
    expect(run.stderr).not.toMatch(/^error/m)
    expect(run.code).toBe(0)
    expect(run.json().jobs[0]).toMatchObject({ size: 'auto', estimatedCost: 0.22, status: 'succeeded' })
    expect(jsonBody('openai', 'generations')).toMatchObject({ size: 'auto', moderation: 'low', user: 'user-1234' })
  })

  it('refuses what a provider does not document, naming the field and the fix, before any call', async () => {
    const refusals: [ProviderId, string[], RegExp][] = [
      ['tokenhub', ['--size', '1024x1024', '--moderation', 'low'], /TokenHub does not document a moderation level[\s\S]*fix: Remove it; moderation is taken by openai/],
      ['tokenhub', ['--size', '1024x1024', '--user', 'u-1'], /TokenHub does not document an end-user id[\s\S]*fix: Remove it/],
      ['toapis', ['--aspect', '1:1', '--resolution', '1K', '--ref', 'https://cdn.example.com/x.png', '--input-fidelity', 'high'], /ToAPIs does not document input fidelity[\s\S]*fix: Remove it; input fidelity is taken by openai and tokenhub/],
      ['gettoken', ['--size', 'auto'], /GetToken Stable Images does not document size "auto"[\s\S]*fix: Pick a size instead/],
      ['openai', ['--size', '1024x1024', '--input-fidelity', 'high'], /Input fidelity applies to edits[\s\S]*fix: Add a reference image, or remove input fidelity/],
      ['openai', ['--size', '1024x1024', '--moderation', 'high'], /--moderation "high" is not one of auto, low/],
      ['openai', ['--size', '1024x1024', '--user', 'x'.repeat(129)], /user is longer than 128 characters/],
    ]
    for (const [provider, args, says] of refusals) {
      const run = await generate(provider, newDir(), args, false)
      expect({ args, code: run.code }).toEqual({ args, code: 2 })
      expect(run.stderr).toMatch(says)
    }
    expect(server.requests).toHaveLength(0)
  })

  it('OpenAI edits: input fidelity in the multipart form; moderation sends the JSON form, the file as a data URL', async () => {
    const dir = newDir()
    const ref = await png(dir, 'mug.png', 128, 128)
    expect((await generate('openai', newDir(), ['--size', '1024x1024', '--ref', ref, '--input-fidelity', 'high', '--user', 'u-9'])).code).toBe(0)
    const [multipart] = server.requestsTo('openai', 'edits')
    expect(multipart?.body).toMatchObject({ kind: 'multipart', fields: { input_fidelity: ['high'], user: ['u-9'] }, files: [{ field: 'image', type: 'image/png' }] })

    server.reset()
    expect((await generate('openai', newDir(), ['--size', '1024x1024', '--ref', ref, '--moderation', 'low'])).code).toBe(0)
    const body = jsonBody('openai', 'edits')
    expect(body).toMatchObject({ moderation: 'low', images: [{ image_url: expect.stringMatching(/^data:image\/png;base64,/) }] })
  })

  it('lists --compression and the new options in the help', async () => {
    const help = await cli(['generate', '--help'])
    expect(help.stdout).toMatch(/--compression 0-100/)
    expect(help.stdout).toMatch(/--moderation auto\|low/)
    expect(help.stdout).toMatch(/--input-fidelity high\|low/)
    expect(help.stdout).toMatch(/--size WxH\[,WxH\]\|auto/)
  })
})

describe('edits with links', () => {
  it('OpenAI: a link, a local file and a mask go as JSON images [{image_url}] with data URLs', async () => {
    const dir = newDir()
    const file = await png(dir, 'room.png', 320, 240)
    const mask = await png(dir, 'mask.png', 320, 240, true)
    const run = await generate('openai', newDir(), ['--size', '1024x1024', '--ref', 'https://cdn.example.com/lamp.png', '--ref', file, '--mask', mask, '--input-fidelity', 'low'])
    expect(run.stderr).not.toMatch(/^error/m)
    expect(run.code).toBe(0)
    const body = jsonBody('openai', 'edits')
    expect(body).toMatchObject({
      model: 'gpt-image-2',
      input_fidelity: 'low',
      images: [{ image_url: 'https://cdn.example.com/lamp.png' }, { image_url: expect.stringMatching(/^data:image\/png;base64,/) }],
      mask: { image_url: expect.stringMatching(/^data:image\/png;base64,/) },
    })
    expect(run.json().jobs[0].usage.inputImageTokens).toBe(2 * 272)
  })

  it("OpenAI: a file too big for one image_url data URL is refused before queueing when it must go beside a link", async () => {
    const dir = newDir()
    const big = join(dir, 'big.png')
    // Noise does not compress: about 17 MB, over the 15 MB that fit in 20,971,520 characters of base64.
    await sharp({ create: { width: 2400, height: 2400, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png({ compressionLevel: 0 }).toFile(big)
    const run = await generate('openai', newDir(), ['--size', '1024x1024', '--ref', 'https://cdn.example.com/lamp.png', '--ref', big], false)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/big\.png is 1\d\.\d MB; sent beside links \(or with moderation\) it goes to OpenAI as a data URL, which takes at most 15 MB/)
    expect(run.stderr).toMatch(/fix: Use a smaller or more compressed image/)
    expect(server.requests).toHaveLength(0)
  })

  it('TokenHub: links with a mask, and files mixed with links, go as JSON instead of failing at send time', async () => {
    const dir = newDir()
    const file = await png(dir, 'mug.png', 256, 256)
    const mask = await png(dir, 'mask.png', 256, 256, true)
    const withMask = await generate('tokenhub', newDir(), ['--size', '1024x1024', '--ref', 'https://cdn.example.com/mug.png', '--mask', mask])
    expect(withMask.stderr).not.toMatch(/ENOENT/)
    expect(withMask.code).toBe(0)
    expect(jsonBody('tokenhub', 'edits')).toMatchObject({ image: 'https://cdn.example.com/mug.png', mask: expect.stringMatching(/^data:image\/png;base64,/) })

    server.reset()
    const mixed = await generate('tokenhub', newDir(), ['--size', '1024x1024', '--ref', file, '--ref', 'https://cdn.example.com/table.png'])
    expect(mixed.code).toBe(0)
    expect(jsonBody('tokenhub', 'edits')).toMatchObject({ image: [expect.stringMatching(/^data:image\/png;base64,/), 'https://cdn.example.com/table.png'] })
    expect(server.billed('tokenhub').images).toBe(1)
  })
})
