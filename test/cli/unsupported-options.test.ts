/**
 * getimg's v2 API has no quality or background field, nor has ToAPIs' task request. An explicit `--quality high` or
 * `--background transparent` is refused before anything is queued or sent (exit 2, naming the flag
 * and the fix), by `estimate` and `generate` alike; `auto` is what getimg does anyway, so it passes,
 * and the request that goes out carries neither field.
 */
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { tempDir } from '../helpers/temp-dir'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))

const GETIMG = (): string[] => ['--provider', 'getimg', '--base-url', server.baseUrl('getimg'), '--key-env', 'GETIMG_KEY', '--aspect', '1:1', '--resolution', '1K']
const env = (): Record<string, string> => ({ GETIMG_KEY: server.validKey('getimg') })

describe('getimg quality and background', () => {
  it.each([
    ['estimate', ['--quality', 'high'], 'quality', /getimg\.ai has no quality setting.*quality "high" cannot be honoured/],
    ['generate', ['--quality', 'high'], 'quality', /getimg\.ai has no quality setting.*quality "high" cannot be honoured/],
    ['generate', ['--background', 'opaque'], 'background', /getimg\.ai has no background setting.*background "opaque" cannot be honoured/],
  ])('%s %s: exit 2, the flag named with its fix, nothing queued or sent', async (command, flags, option, message) => {
    const home = tempDir('proofsheet-cli-getimg-')
    const run = await cliInProcess([command, ...GETIMG(), '--prompt', 'a teapot', ...flags, '--home', home], env())
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(new RegExp(`fix: Leave ${option} on auto, or choose a provider that offers it`))
    const queue = await cliInProcess(['queue', '--json', '--home', home])
    expect(queue.json().jobs).toEqual([])
    expect(server.requestsTo('getimg')).toEqual([])
  })

  it('auto passes, and the request getimg receives has no quality or background field', async () => {
    const home = tempDir('proofsheet-cli-getimg-')
    const run = await cliInProcess(['generate', ...GETIMG(), '--prompt', 'a teapot', '--quality', 'auto', '--background', 'auto', '--wait', '--json', '--home', home], env())
    expect(run.code, run.stderr).toBe(0)
    const [sent] = server.requestsTo('getimg', 'generations')
    expect(sent?.body.kind).toBe('json')
    const body = (sent!.body as { value: Record<string, unknown> }).value
    expect(body).toMatchObject({ model: 'gpt-image-2', aspect_ratio: '1:1', resolution: '1K' })
    expect(Object.keys(body)).not.toContain('quality')
    expect(Object.keys(body)).not.toContain('background')
  })
})

describe('ToAPIs quality and background', () => {
  it('an explicit quality or background is refused before queueing; auto goes out without either field', async () => {
    const home = tempDir('proofsheet-cli-toapis-')
    const toapis = ['--provider', 'toapis', '--base-url', server.baseUrl('toapis'), '--key-env', 'TOAPIS_KEY', '--aspect', '1:1', '--resolution', '1K', '--home', home]
    const keyEnv = { TOAPIS_KEY: server.validKey('toapis') }
    for (const flags of [['--quality', 'high'], ['--background', 'transparent']]) {
      const run = await cliInProcess(['generate', ...toapis, '--prompt', 'a teapot', ...flags], keyEnv)
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(new RegExp(`ToAPIs[^\\n]* has no ${flags[0]!.slice(2)} setting`))
    }
    expect(server.requestsTo('toapis')).toEqual([])
    const ok = await cliInProcess(['generate', ...toapis, '--prompt', 'a teapot', '--quality', 'auto', '--wait', '--json'], keyEnv)
    expect(ok.code, ok.stderr).toBe(0)
    const body = (server.requestsTo('toapis', 'generations')[0]!.body as { value: Record<string, unknown> }).value
    expect(Object.keys(body)).not.toContain('quality')
    expect(Object.keys(body)).not.toContain('background')
  })
})
