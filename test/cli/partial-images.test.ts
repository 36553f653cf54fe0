/**
 * `--partial-images N` end to end: the CLI asks OpenAI (the test server's) for a stream, says as
 * the partials arrive, and stores only the final image; providers that do not stream refuse the
 * flag before anything is sent.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cliInProcess as cli } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'
import { useProviderServer } from '../helpers/provider-server-per-file'
import type { ProviderId, ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const KEY_VAR = 'PROOFSHEET_TEST_KEY'

function generate(provider: ProviderId, home: string, extra: string[]) {
  return cli(
    ['generate', '--provider', provider, '--base-url', server.baseUrl(provider), '--key-env', KEY_VAR, '--prompt', 'a red kettle, streamed', '--size', '1024x1024', '--wait', '--json', '--home', home, ...extra],
    { [KEY_VAR]: server.validKey(provider) },
  )
}

describe('generate --partial-images', () => {
  it('streams with OpenAI: the partials are reported, the final image is stored as usual', async () => {
    const home = tempDir('proofsheet-partials-cli-')
    const run = await generate('openai', home, ['--partial-images', '2'])
    expect(run.code, run.stderr).toBe(0)
    const body = server.requestsTo('openai', 'generations')[0]!.body
    expect(body.kind === 'json' ? body.value : null).toMatchObject({ stream: true, partial_images: 2, n: 1 })
    expect(run.stderr).toMatch(/partial image \d of image 1 arrived/)

    const [job] = run.json().jobs
    // Charged from the completed event's usage at the token prices, as a reply without streaming is.
    expect(job).toMatchObject({ status: 'succeeded', chargeBasis: 'tokens', usage: { outputTokens: Math.ceil((1024 * 1024) / 750) } })
    expect(job.chargedCost).toBeGreaterThan(0)
    expect(job.chargedCost).toBeLessThan(0.22)
    expect(job.images).toHaveLength(1)
    const meta = await sharp(job.images[0].path).metadata()
    expect([meta.width, meta.height, meta.format]).toEqual([1024, 1024, 'png'])
    // Only the final image is in the library.
    const files = readdirSync(join(home, 'images'), { recursive: true }).filter((f) => /\.(png|webp|jpe?g)$/.test(String(f)))
    expect(files).toHaveLength(1)
  })

  it('a stream cut short is retried and the job still ends with one stored image', async () => {
    server.inject('openai', 'stream-cut')
    const home = tempDir('proofsheet-partials-cli-')
    const run = await generate('openai', home, ['--partial-images', '1'])
    expect(run.code, run.stderr).toBe(0)
    expect(server.requestsTo('openai', 'generations')).toHaveLength(2)
    expect(run.json().jobs[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
  })

  it('is refused for a provider that does not stream, naming the flag and the fix, and nothing is sent', async () => {
    const run = await generate('gettoken', tempDir('proofsheet-partials-cli-'), ['--partial-images', '2'])
    expect(run.code).toBe(2)
    expect(run.json().error).toMatchObject({ flag: '--partial-images', message: expect.stringMatching(/does not stream partial images/) })
    expect(run.stderr).toMatch(/partial previews off/)
    expect(server.requests).toHaveLength(0)
  })

  it('takes only 0 to 3', async () => {
    const run = await generate('openai', tempDir('proofsheet-partials-cli-'), ['--partial-images', '4'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--partial-images must be a whole number from 0 to 3/)
  })
})
