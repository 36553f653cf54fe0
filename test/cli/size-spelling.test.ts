/**
 * The CLI prints a size the way --size, --aspect/--resolution and --sizes take it back: an aspect
 * size is "16:9@2K" in the cost preview as in the provider list, and `providers --json` keeps
 * listing sizes as text although the contract carries them as values.
 */
import { describe, expect, it } from 'vitest'
import { cliInProcess as cli } from '../helpers/cli-in-process'
import { tempDir } from '../helpers/temp-dir'

describe('sizes on the command line', () => {
  it('prices an aspect size under the spelling the flags take', async () => {
    const home = tempDir('proofsheet-cli-sizes-')
    const json = await cli(['estimate', '--provider', 'toapis', '--aspect', '16:9', '--resolution', '2K', '--json', '--home', home])
    expect(json.code).toBe(0)
    expect(json.json().lines.map((l: { size: string }) => l.size)).toEqual(['16:9@2K'])

    const text = await cli(['estimate', '--provider', 'toapis', '--aspect', '16:9', '--resolution', '2K', '--home', home])
    expect(text.stdout).toMatch(/^16:9@2K\s/m)
  })

  it('lists provider sizes as text, in --json too', async () => {
    const run = await cli(['providers', '--json', '--home', tempDir('proofsheet-cli-sizes-')])
    const providers = run.json().providers as { id: string; sizes: unknown[]; formats: unknown[] }[]
    const byId = new Map(providers.map((p) => [p.id, p]))
    expect(byId.get('toapis')!.sizes).toContain('16:9@2K')
    expect(byId.get('openai')!.sizes).toEqual(expect.arrayContaining(['1024x1024', 'auto']))
    expect(byId.get('demo')!.formats).toEqual(['png', 'jpeg', 'webp'])
  })
})
