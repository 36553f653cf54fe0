/**
 * A stored key goes only to the host+port it was stored for. Two provider test servers on two
 * ports stand for "the profile's host" and "somewhere else": a job naming a stored key with a base
 * URL elsewhere is refused when queued, a job row queued before the rule (or before its profile
 * moved) is refused again when it runs, a custom profile that moved refuses its old key until the
 * key is entered again, and a key from the environment still goes where the job says.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { JobView } from '../../../src/shared/api'
import { SessionSecretStore } from '../../../src/main/core/secrets'
import { Store } from '../../../src/main/core/store/store'
import { call, openEngine, refused } from '../../helpers/engine'
import { newJob } from '../../helpers/store-rows'
import { until } from '../../helpers/wait'
import { startProviderServer, type ProviderServer } from '../../provider-server'

let home: string
let own: ProviderServer
let elsewhere: ProviderServer

beforeAll(async () => {
  own = await startProviderServer()
  elsewhere = await startProviderServer()
})
afterAll(async () => {
  await own?.close()
  await elsewhere?.close()
})
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'proofsheet-key-host-'))
  own.reset()
  elsewhere.reset()
  return () => rmSync(home, { recursive: true, force: true })
})

const packshot = { prompt: 'white sneaker, packshot', sizes: [{ width: 1024, height: 1024 }] }

async function finished(engine: Awaited<ReturnType<typeof openEngine>>, id: string): Promise<JobView> {
  let job: JobView | null = null
  await until(async () => {
    job = await call(engine, 'jobs.get', { id })
    return job.status === 'succeeded' || job.status === 'failed'
  }, `job ${id} has ended`)
  return job!
}

describe('a stored key is sent only to the host it was stored for', () => {
  it('refuses a per-job base URL on another port, and that server hears nothing', async () => {
    const engine = await openEngine(home)
    await call(engine, 'providers.save', { kind: 'override', id: 'openai', baseUrl: own.baseUrl('openai') })
    const key = await call(engine, 'keys.add', { provider: 'openai', label: 'studio', secret: own.validKey('openai') })

    const error = await refused(engine, 'jobs.generate', { provider: 'openai', ...packshot, key: { keyId: key.id }, baseUrl: elsewhere.baseUrl('openai') })
    const otherHost = new URL(elsewhere.baseUrl('openai')).host
    expect(error).toMatchObject({ code: 'bad_input', field: 'baseUrl' })
    expect(error.message).toContain(`entered for ${new URL(own.baseUrl('openai')).host}`)
    expect(error.message).toContain(otherHost)
    expect(error.remedy).toEqual({ code: 'key_for_host', provider: 'openai', host: otherHost, perJob: true })
    expect(error.fix).toMatch(/from an environment variable/)
    // The sole key of a provider is picked without naming it: the same rule holds.
    expect(await refused(engine, 'jobs.generate', { provider: 'openai', ...packshot, baseUrl: elsewhere.baseUrl('openai') })).toMatchObject({ field: 'baseUrl' })
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])

    // Another path on the same host and port is the same server: allowed.
    const same = await call(engine, 'jobs.generate', { provider: 'openai', ...packshot, key: { keyId: key.id }, baseUrl: `${own.baseUrl('openai')}/` })
    expect((await finished(engine, same.jobs[0]!.id)).status).toBe('succeeded')
    expect(elsewhere.requests).toEqual([])
  })

  it('refuses a batch whose stored key would go elsewhere: said in its preview, nothing queued by run', async () => {
    const engine = await openEngine(home)
    await call(engine, 'providers.save', { kind: 'override', id: 'openai', baseUrl: own.baseUrl('openai') })
    const key = await call(engine, 'keys.add', { provider: 'openai', label: 'studio', secret: own.validKey('openai') })
    const batch = {
      template: { name: 'Packshot', body: '{{product}} packshot' },
      table: 'product\nkettle\nlamp\n',
      settings: { provider: 'openai', sizes: [{ width: 1024, height: 1024 }], key: { keyId: key.id }, baseUrl: elsewhere.baseUrl('openai') },
    }
    const preview = await call(engine, 'batches.preview', batch)
    expect(preview.problems.join(' ')).toMatch(/"studio" \(openai\) was entered for .* is not sent to/)
    expect(await refused(engine, 'batches.run', batch)).toMatchObject({ code: 'bad_input', field: 'baseUrl', remedy: expect.objectContaining({ code: 'key_for_host' }) })
    expect((await call(engine, 'jobs.list', {})).jobs).toEqual([])
    expect(elsewhere.requests).toEqual([])
  })

  it('still sends a key from the environment to a per-job base URL', async () => {
    const engine = await openEngine(home, { env: { ELSEWHERE_KEY: elsewhere.validKey('openai') } })
    const queued = await call(engine, 'jobs.generate', { provider: 'openai', ...packshot, key: { keyEnv: 'ELSEWHERE_KEY' }, baseUrl: elsewhere.baseUrl('openai') })
    expect((await finished(engine, queued.jobs[0]!.id)).status).toBe('succeeded')
    expect(elsewhere.requests.filter((r) => r.route === 'generations' && r.auth.matched)).toHaveLength(1)
  })

  it('does not send the key of a job queued before the rule to a foreign base URL when it runs', async () => {
    // Session keys live in memory: both engines on this library share one secret store.
    const secretStore = new SessionSecretStore()
    const secrets = async () => ({ store: secretStore, status: { backend: 'session' as const, persistent: false, message: 'test' } })
    const setup = await openEngine(home, { runQueue: false, secrets })
    await call(setup, 'providers.save', { kind: 'override', id: 'openai', baseUrl: own.baseUrl('openai') })
    const key = await call(setup, 'keys.add', { provider: 'openai', label: 'studio', secret: own.validKey('openai') })
    await setup.close()
    // The row an older Proofsheet (or a bridge call before this check) left queued.
    const store = Store.open(join(home, 'library.sqlite'))
    const old = newJob({ provider: 'openai', prompt: packshot.prompt, params: { quality: 'auto', format: 'png', n: 1, refs: [] }, keyId: key.id, keyEnv: null, keyLabel: 'studio', baseUrl: elsewhere.baseUrl('openai') })
    store.jobs.insertMany([old])
    store.close()

    const engine = await openEngine(home, { secrets })
    const job = await finished(engine, old.id)
    expect(job).toMatchObject({ status: 'failed', error: { kind: 'auth', code: 'key_other_host' } })
    expect(job.error?.message).toMatch(/give the key for .* from an environment variable/i)
    expect(elsewhere.requests).toEqual([])
    expect(own.requests).toEqual([])
  })

  it('refuses the old key of a custom profile whose base URL moved, until the key is entered again', async () => {
    const engine = await openEngine(home)
    const profile = { kind: 'custom', id: 'studio-proxy', name: 'Studio proxy', modelId: 'gpt-image-2', sizes: ['1024x1024'] }
    await call(engine, 'providers.save', { ...profile, baseUrl: own.baseUrl('openai') })
    const key = await call(engine, 'keys.add', { provider: 'studio-proxy', label: 'proxy key', secret: own.validKey('openai') })

    const moved = await call(engine, 'providers.save', { ...profile, baseUrl: elsewhere.baseUrl('openai') })
    // Said where the change is made, naming the key and what to do.
    expect(moved.keyNotice?.message).toContain('"proxy key"')
    expect(moved.keyNotice?.remedy).toEqual({ code: 'reenter_keys', provider: 'studio-proxy', labels: ['proxy key'] })
    const error = await refused(engine, 'jobs.generate', { provider: 'studio-proxy', ...packshot, key: { keyId: key.id } })
    expect(error).toMatchObject({ field: 'key' })
    expect(error.message).toContain(new URL(elsewhere.baseUrl('openai')).host)
    expect(await call(engine, 'keys.test', { id: key.id })).toMatchObject({ outcome: 'unreachable', message: expect.stringContaining('was entered for') })
    expect(elsewhere.requests).toEqual([])

    // Entering the key again (rotate) binds it to where the profile points now.
    await call(engine, 'keys.rotate', { id: key.id, secret: elsewhere.validKey('openai') })
    const queued = await call(engine, 'jobs.generate', { provider: 'studio-proxy', ...packshot, key: { keyId: key.id } })
    expect((await finished(engine, queued.jobs[0]!.id)).status).toBe('succeeded')
    expect(own.requests).toEqual([])
    // Moving back leaves the key behind again, and says so.
    expect((await call(engine, 'providers.save', { ...profile, baseUrl: own.baseUrl('openai') })).keyNotice?.message).toContain('"proxy key"')
  })
})

