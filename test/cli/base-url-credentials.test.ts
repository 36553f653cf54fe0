/**
 * A base URL typed with `user:password@` is refused where it comes in (the CLI's --base-url, a
 * profile's base URL), naming the field and the fix, and whatever message names such a URL (a job
 * row queued before the refusal, a profile saved before it) shows it without the credentials.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/core/store/store'
import { cliInProcess } from '../helpers/cli-in-process'
import { call, openEngine, refused } from '../helpers/engine'
import { useProviderServer } from '../helpers/provider-server-per-file'
import { newJob } from '../helpers/store-rows'
import { tempDir } from '../helpers/temp-dir'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))
const PASSWORD = 's3cret-Pa55word'
const withCredentials = (url: string) => url.replace('://', `://studio:${PASSWORD}@`)

describe('a base URL with user:password@', () => {
  it('is refused by generate with the flag and the fix, never quoted, and nothing is queued or sent', async () => {
    const home = tempDir('proofsheet-cli-creds-')
    for (const baseUrl of [withCredentials(server.baseUrl('openai')), `http://studio:${PASSWORD}@example.com/v1`]) {
      for (const json of [[], ['--json']]) {
        const run = await cliInProcess(
          ['generate', '--provider', 'openai', '--base-url', baseUrl, '--key-env', 'K', '--prompt', 'x', '--size', '1024x1024', '--wait', ...json, '--home', home],
          { K: server.validKey('openai') },
        )
        expect(run.code).toBe(2)
        const said = run.stdout + run.stderr
        expect(said).not.toContain(PASSWORD)
        expect(said).toContain('Refusing the base URL')
        if (json.length > 0) expect(JSON.parse(run.stdout).error.flag).toBe('--base-url')
        expect(said).toMatch(/user name or password/)
        expect(said).toMatch(/Remove the user name and password/)
      }
    }
    expect((await cliInProcess(['queue', '--json', '--home', home])).json().jobs).toEqual([])
    expect(server.requests).toEqual([])
  })

  it('in a job row queued before the refusal: not sent, and its stored error and the CLI do not quote it', async () => {
    const home = tempDir('proofsheet-cli-creds-old-')
    const store = Store.open(join(home, 'library.sqlite'))
    const old = newJob({
      provider: 'openai',
      prompt: 'old job',
      params: { quality: 'auto', format: 'png', n: 1, refs: [] },
      keyEnv: 'K',
      keyLabel: '$K',
      baseUrl: withCredentials(server.baseUrl('openai')),
    })
    store.jobs.insertMany([old])
    store.close()
    const run = await cliInProcess(['run', '--json', '--home', home], { K: server.validKey('openai') })
    expect(run.code).toBe(1)
    const queue = await cliInProcess(['queue', '--json', '--home', home])
    const [job] = queue.json().jobs
    expect(job).toMatchObject({ id: old.id, status: 'failed', error: { kind: 'input', code: 'credentials_in_base_url' } })
    expect(job.error.message).toContain('//***@127.0.0.1')
    for (const said of [run.stdout, run.stderr, queue.stdout, queue.stderr]) expect(said).not.toContain(PASSWORD)
    expect(server.requests).toEqual([])
  })

  it('is refused as a profile base URL, naming the field', async () => {
    const engine = await openEngine(tempDir('proofsheet-creds-profile-'))
    const error = await refused(engine, 'providers.save', { kind: 'override', id: 'openai', baseUrl: `https://studio:${PASSWORD}@proxy.example.com/v1` })
    expect(error).toMatchObject({ code: 'bad_input', field: 'baseUrl' })
    expect(JSON.stringify(error)).not.toContain(PASSWORD)
    expect(error.fix).toMatch(/Remove the user name and password/)
    const custom = { kind: 'custom', id: 'studio-proxy', name: 'Studio proxy', modelId: 'm', sizes: ['1024x1024'] }
    expect(await refused(engine, 'providers.save', { ...custom, baseUrl: `https://studio:${PASSWORD}@proxy.example.com/v1` })).toMatchObject({ field: 'baseUrl' })
    expect((await call(engine, 'providers.list', {})).providers.find((p) => p.id === 'studio-proxy')).toBeUndefined()
  })
})
