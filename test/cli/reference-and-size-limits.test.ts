/**
 * What the command line refuses before anything is queued or sent: `estimate` checks --ref files
 * as `generate` does (exit 2, not a price for a job that cannot run); an OpenAI mask must be
 * under 4 MB though each image may be 50 MB; gpt-image models take WxH sizes only when both
 * sides are multiples of 16, with the nearest size that works in the fix. Against the provider
 * test server, which would otherwise have received (and, for Tokensmart, answered 502 to) the call.
 */
import { truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cliInProcess as cli } from '../helpers/cli-in-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { tempDir } from '../helpers/temp-dir'
import type { ProviderId, ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const KEY_VAR = 'PROOFSHEET_TEST_KEY'

function against(provider: ProviderId, command: 'generate' | 'estimate', extra: string[]) {
  return cli(
    [command, '--provider', provider, '--base-url', server.baseUrl(provider), '--key-env', KEY_VAR, '--prompt', 'a kettle on oak', '--json', '--home', tempDir('proofsheet-limits-'), ...extra],
    { [KEY_VAR]: server.validKey(provider) },
  )
}

const png = (width: number, height: number, background = '#ddd') => sharp({ create: { width, height, channels: 4, background } }).png().toBuffer()

describe('estimate checks --ref files as generate does', () => {
  it('exits 2 naming --ref for a missing file, a file that is not an image and one over the limit', async () => {
    const dir = tempDir('proofsheet-estimate-refs-')
    writeFileSync(join(dir, 'notes.png'), 'name,price\nmug,4.50\n')
    // Sparse: 60 MB by its size, nothing on disk; the limit is read from the size alone.
    writeFileSync(join(dir, 'huge.png'), await png(16, 16))
    truncateSync(join(dir, 'huge.png'), 60 * 1024 * 1024)
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.png'), /missing\.png does not exist/],
      [join(dir, 'notes.png'), /notes\.png is not a PNG, JPEG or WebP/],
      [join(dir, 'huge.png'), /huge\.png is 60\.0 MB; the limit is 50 MB/],
    ]
    for (const [file, says] of cases) {
      const run = await cli(['estimate', '--provider', 'demo', '--size', '64x64', '--ref', file, '--home', tempDir('proofsheet-limits-')])
      expect(run.code, run.stdout + run.stderr).toBe(2)
      expect(run.stderr).toMatch(says)
      expect(run.stdout).toBe('')
      const json = await cli(['estimate', '--provider', 'demo', '--size', '64x64', '--ref', file, '--json', '--home', tempDir('proofsheet-limits-')])
      expect(json.code).toBe(2)
      expect(json.json().error).toMatchObject({ flag: '--ref', message: expect.stringMatching(says) })
    }
  })

  it('still prices a job with a usable --ref, and generate with a local --ref and --mask still runs', async () => {
    const dir = tempDir('proofsheet-estimate-refs-')
    writeFileSync(join(dir, 'mug.png'), await png(64, 64, '#c33'))
    writeFileSync(join(dir, 'mask.png'), await png(64, 64, '#0000'))
    const estimate = await cli(['estimate', '--provider', 'demo', '--size', '64x64', '--ref', join(dir, 'mug.png'), '--json', '--home', tempDir('proofsheet-limits-')])
    expect(estimate.code, estimate.stderr).toBe(0)
    expect(estimate.json()).toMatchObject({ provider: 'demo', total: 0 })
    // The command line is the user's own shell: files anywhere on disk are theirs to name.
    const run = await cli(['generate', '--provider', 'demo', '--size', '64x64', '--prompt', 'the mug', '--ref', join(dir, 'mug.png'), '--mask', join(dir, 'mask.png'), '--wait', '--json', '--home', tempDir('proofsheet-limits-')], { PROOFSHEET_DEMO_DELAY_MS: '1' })
    expect(run.code, run.stderr).toBe(0)
    expect(run.json().jobs).toMatchObject([{ status: 'succeeded' }])
  })
})

describe('limits as the image APIs publish them', () => {
  it('an OpenAI mask of 5 MB is refused before the call (the mask limit is 4 MB, apart from the 50 MB image limit)', async () => {
    const dir = tempDir('proofsheet-mask-')
    const image = join(dir, 'room.png')
    const mask = join(dir, 'mask.png')
    writeFileSync(image, await png(1200, 1200))
    // Stored without compression: 1200x1200 RGBA is 5.5 MB on disk, a real PNG all the same.
    writeFileSync(mask, await sharp({ create: { width: 1200, height: 1200, channels: 4, background: '#0000' } }).png({ compressionLevel: 0 }).toBuffer())
    for (const command of ['estimate', 'generate'] as const) {
      const run = await against('openai', command, ['--size', '1024x1024', '--ref', image, '--mask', mask, ...(command === 'generate' ? ['--wait'] : [])])
      expect(run.code, run.stdout + run.stderr).toBe(2)
      expect(run.json().error).toMatchObject({ flag: '--mask', message: expect.stringMatching(/mask\.png is 5\.\d MB; the limit for a mask is 4 MB/) })
    }
    expect(server.requestsTo('openai')).toHaveLength(0)
  })

  it.each([
    ['tokensmart', '1000x777', '1008x784'],
    ['openai', '1000x777', '1008x784'],
    ['gettoken', '1500x1001', '1504x1008'],
  ] as const)('%s: %s is refused before queueing, naming %s as the nearest size that works', async (provider, size, nearest) => {
    const run = await against(provider, 'generate', ['--size', size, '--wait'])
    expect(run.code, run.stdout + run.stderr).toBe(2)
    expect(run.json().error).toMatchObject({
      flag: '--size',
      message: expect.stringMatching(new RegExp(`${size} does not work on .*both sides must be multiples of 16`)),
      fix: `Use ${nearest}, the nearest size that works.`,
    })
    expect(server.requestsTo(provider)).toHaveLength(0)
    // And the nearest size does go through.
    const ok = await against(provider, 'generate', ['--size', nearest, '--wait'])
    expect(ok.code, ok.stderr).toBe(0)
  })
})
