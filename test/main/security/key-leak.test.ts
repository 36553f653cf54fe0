/**
 * Keys never leave the keychain except on their way to the provider. A full workflow runs
 * through the real IPC adapter around a real engine (real keychain under the test D-Bus session,
 * real SQLite, real HTTP to the provider test server): keys added, listed, tested and rotated;
 * sync, async (ToAPIs) and getimg generations, with 5xx retries, a wrong key's 401 and a provider
 * that echoes the key back in its error; then exports with CSV and JSON manifests and a ZIP. Every
 * reply and event the adapter sent, everything the engine logged (to the console and to its log
 * file, as the app's main.log), and every file in the library, the export folders and the log
 * folder is searched for each key (key-leak-scan.ts, which has its own test).
 */
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportRequest, JobView, Result, SizeSpec } from '../../../src/shared/api'
import { createEngine, type Engine } from '../../../src/main/core/engine'
import { createFileLog, type FileLog } from '../../../src/main/core/logs'
import { chooseSecretStore, type Encryptor } from '../../../src/main/core/secrets'
import { resolveAppLocation } from '../../../src/main/electron/app-location'
import { CALL_CHANNEL, createIpcAdapter } from '../../../src/main/electron/ipc-adapter'
import type { FrameLike, InvokeEventLike } from '../../../src/main/electron/sender-check'
import { findLeaks, findLeaksInTree, filesUnder } from '../../helpers/key-leak-scan'
import { tempDir } from '../../helpers/temp-dir'
import { serve, type RecordingServer } from '../../helpers/recording-server'
import { until } from '../../helpers/wait'
import { startProviderServer, type ProviderId, type ProviderServer } from '../../provider-server'
import { aesEncryptor } from '../secrets/fixtures/aes-encryptor'

const app = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/opt/ps/out/renderer/index.html' })

/** The one window the adapter serves: it records every event pushed to it. */
class RecordingWindow extends EventEmitter {
  readonly id = 7
  readonly mainFrame: FrameLike
  readonly sent: unknown[] = []
  constructor() {
    super()
    const frame: FrameLike = { url: app.url, frameTreeNodeId: 1, parent: null, top: null }
    this.mainFrame = { ...frame, top: frame }
  }
  isDestroyed(): boolean {
    return false
  }
  send(_channel: string, ...args: unknown[]): void {
    this.sent.push(args)
  }
}

/** Searching every file for every key in every encoding is real work on a busy machine. */
const SCAN_TIMEOUT = 120_000

const wrongKey = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`

let server: ProviderServer
let echo: RecordingServer
let engine: Engine
let home: string
let exportsDir: string
let invoke: (name: string, input: unknown) => Promise<Result<unknown>>
const replies: { name: string; reply: Result<unknown> }[] = []
const window = new RecordingWindow()
const logged: string[] = []
/** The engine's log file, as the app opens it (main.log, redacted), in a folder of its own. */
let logsDir: string
let fileLog: FileLog
/** Keys the engine resolved to make a call: a log line may quote any of them (see the last test). */
const usedKeys: string[] = []
/** Every secret this file stores or sends: the provider server's valid keys and the wrong ones. */
const canaries: string[] = []

beforeAll(async () => {
  server = await startProviderServer()
  home = mkdtempSync(join(tmpdir(), 'proofsheet-keyleak-'))
  exportsDir = mkdtempSync(join(tmpdir(), 'proofsheet-keyleak-out-'))
  // Whatever the engine writes to the console is a log a user may paste into a bug report.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    })
  }
  logsDir = mkdtempSync(join(tmpdir(), 'proofsheet-keyleak-logs-'))
  // As the app does: the file, and the console as before (captured above).
  fileLog = createFileLog({ dir: logsDir, fileName: 'main.log', echo: (level, args) => console[level](...args) })
  engine = await createEngine({
    home,
    runQueue: true,
    log: fileLog,
    demoDelayMs: 1,
    pollIntervalMs: 20,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
    asyncTaskPolling: { firstPollMs: 10, pollEveryMs: 10 },
    timeZone: 'UTC',
  })
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>()
  const adapter = createIpcAdapter({
    ipcMain: { handle: (channel, listener) => handlers.set(channel, listener), removeHandler: (channel) => handlers.delete(channel) },
    router: engine.router,
    app,
    log: (m) => fileLog.warn(m),
  })
  adapter.attach(window)
  invoke = async (name, input) => {
    const reply = (await handlers.get(CALL_CHANNEL)!({ sender: window, senderFrame: window.mainFrame }, name, input)) as Result<unknown>
    replies.push({ name, reply })
    return reply
  }
})

afterAll(async () => {
  vi.restoreAllMocks()
  await engine?.close()
  await server?.close()
  for (const dir of [home, exportsDir, logsDir]) if (dir) rmSync(dir, { recursive: true, force: true })
})

async function ok<T>(name: string, input: unknown): Promise<T> {
  const reply = await invoke(name, input)
  if (!reply.ok) throw new Error(`${name} failed: ${JSON.stringify(reply.error)}`)
  return reply.value as T
}

async function addKey(provider: string, label: string, secret: string): Promise<string> {
  canaries.push(secret)
  return (await ok<{ id: string }>('keys.add', { provider, label, secret })).id
}

async function generate(provider: string, keyId: string, size: SizeSpec, baseUrl: string, prompt: string): Promise<JobView> {
  const { jobs } = await ok<{ jobs: JobView[] }>('jobs.generate', { provider, prompt, sizes: [size], key: { keyId }, baseUrl })
  return jobs[0]!
}

/** Waits for every job through the adapter (jobs.get), as the window would see them. */
async function settled(ids: string[]): Promise<JobView[]> {
  let views: JobView[] = []
  await until(
    async () => {
      views = await Promise.all(ids.map((id) => ok<JobView>('jobs.get', { id })))
      return views.every((j) => j.status === 'succeeded' || j.status === 'failed')
    },
    'every job has finished or failed',
    60_000,
  )
  return views
}

async function exported(request: ExportRequest): Promise<void> {
  const started = await ok<{ id: string }>('exports.start', request)
  await until(async () => (await ok<{ status: string }>('exports.status', { id: started.id })).status !== 'running', 'the export is done', 60_000)
  expect(await ok('exports.status', { id: started.id })).toMatchObject({ status: 'done', error: null })
}

describe('a full workflow never lets a key out', () => {
  let echoKey: string
  let masked: string

  it('runs keys, jobs (with retries and failures) and exports through the IPC adapter', async () => {
    // A provider that quotes the credential it was sent in its error replies, as some proxies do.
    echo = await serve((req) => {
      const auth = String(req.headers.authorization ?? '')
      return req.path.endsWith('/models')
        ? { status: 401, json: { error: { message: `Incorrect API key provided: ${auth.replace(/^Bearer /, '')}` } } }
        : { status: 500, json: { error: { message: `upstream refused the request (Authorization: ${auth})`, type: 'server_error' } } }
    })

    // A stored key is bound to the host its provider points at when it is added: the echoing
    // proxy's key is added while openai points there, the others while they point at the test server.
    const ids: Record<string, string> = {}
    await ok('providers.save', { kind: 'override', id: 'openai', baseUrl: `${echo.url}/v1` })
    echoKey = wrongKey('sk-proj-test-')
    masked = `[key ····${echoKey.slice(-4)}]`
    ids.echo = await addKey('openai', 'via proxy', echoKey)
    for (const provider of ['openai', 'toapis', 'getimg', 'tokensmart', 'gettoken'] as ProviderId[]) {
      await ok('providers.save', { kind: 'override', id: provider, baseUrl: server.baseUrl(provider) })
    }
    for (const provider of ['openai', 'toapis', 'getimg', 'tokensmart'] as ProviderId[]) {
      ids[provider] = await addKey(provider, `${provider} studio`, server.validKey(provider))
    }
    const revoked = wrongKey('gt-img-test-')
    ids.wrong = await addKey('gettoken', 'revoked reseller', revoked)
    usedKeys.push(echoKey, revoked, ...(['openai', 'toapis', 'getimg', 'tokensmart'] as ProviderId[]).map((p) => server.validKey(p)))
    // Rotate one key away and back: the old and new secret each travel once, inwards only.
    const interim = wrongKey('sk-toapis-test-')
    canaries.push(interim)
    await ok('keys.rotate', { id: ids.toapis, secret: interim })
    await ok('keys.rotate', { id: ids.toapis, secret: server.validKey('toapis') })

    // Refusals name the field and the fix, never the secret they refused.
    const refusals: [string, unknown][] = [
      ['keys.add', { provider: 'openai', label: 'openai studio', secret: wrongKey('sk-proj-test-') }],
      ['keys.add', { provider: 'openai', label: 'spaced', secret: `${wrongKey('sk-proj-test-')} ${wrongKey('sk-proj-test-')}` }],
      ['keys.add', { provider: 'openai', label: 'long', secret: wrongKey('sk-proj-test-').repeat(120) }],
      ['keys.add', { provider: 'openai', label: 'extra', secret: wrongKey('sk-proj-test-'), secrte: wrongKey('sk-proj-test-') }],
      ['keys.add', { provider: 'demo', label: 'needs none', secret: wrongKey('sk-proj-test-') }],
      ['keys.rotate', { id: 'key_missing', secret: wrongKey('sk-proj-test-') }],
    ]
    for (const [name, input] of refusals) {
      canaries.push(...JSON.stringify(input).match(/sk-proj-test-[0-9a-f]{24}/g)!)
      expect((await invoke(name, input)).ok).toBe(false)
    }

    const listed = await ok<{ keys: { last4: string }[] }>('keys.list', {})
    expect(listed.keys).toHaveLength(6)
    expect(await ok('keys.test', { id: ids.openai })).toMatchObject({ outcome: 'valid' })
    await ok('providers.save', { kind: 'override', id: 'openai', baseUrl: `${echo.url}/v1` })
    // The proxy did quote the key; what reaches the window is masked to its last four characters.
    expect(await ok('keys.test', { id: ids.echo })).toMatchObject({ outcome: 'rejected', message: expect.stringContaining(masked) })
    await ok('providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })

    server.inject('openai', { status: 503 })
    server.inject('getimg', { status: 500 })
    server.inject('tokensmart', { status: 429, retryAfterSeconds: 0 })
    const jobs = [
      await generate('openai', ids.openai!, { width: 1024, height: 1024 }, server.baseUrl('openai'), 'leak test: openai packshot'),
      await generate('toapis', ids.toapis!, { aspect: '1:1', resolution: '1K' }, server.baseUrl('toapis'), 'leak test: toapis packshot'),
      await generate('getimg', ids.getimg!, { aspect: '1:1', resolution: '1K' }, server.baseUrl('getimg'), 'leak test: getimg packshot'),
      await generate('tokensmart', ids.tokensmart!, { width: 1024, height: 1024 }, server.baseUrl('tokensmart'), 'leak test: tokensmart packshot'),
      await generate('gettoken', ids.wrong!, { width: 1024, height: 1024 }, server.baseUrl('gettoken'), 'leak test: wrong key'),
      await generate('openai', ids.echo!, { width: 1024, height: 1024 }, `${echo.url}/v1`, 'leak test: echoing proxy'),
    ]
    const done = await settled(jobs.map((j) => j.id))
    expect(done.map((j) => [j.provider, j.status, j.attempts])).toEqual([
      ['openai', 'succeeded', 2],
      ['toapis', 'succeeded', 1],
      ['getimg', 'succeeded', 2],
      ['tokensmart', 'succeeded', 2],
      ['gettoken', 'failed', 1],
      ['openai', 'failed', 3],
    ])
    expect(done[4]?.error).toMatchObject({ kind: 'auth' })
    expect(done[5]?.error).toMatchObject({ kind: 'provider_down', message: expect.stringContaining(`Authorization: Bearer ${masked}`) })
    // The keys really went out: every call to the test server carried the matching key.
    expect(server.requests.filter((r) => r.route !== 'file' && r.provider !== 'gettoken').every((r) => r.auth.matched)).toBe(true)
    expect(echo.seen.filter((r) => r.headers.authorization === `Bearer ${echoKey}`)).toHaveLength(4)

    await ok('jobs.list', {})
    await ok('gallery.list', {})
    await exported({ folder: join(exportsDir, 'csv'), manifest: 'csv', zip: true })
    await exported({ folder: join(exportsDir, 'json'), manifest: 'json', naming: '{provider}-{index}.{ext}' })
  }, SCAN_TIMEOUT)

  it('no reply or event the IPC adapter sent carries a key', () => {
    expect(replies.length).toBeGreaterThan(20)
    expect(window.sent.length).toBeGreaterThan(10)
    const traffic = [
      ...replies.map((r, i) => findLeaks(`reply ${i} to ${r.name}`, JSON.stringify(r.reply), canaries)),
      ...window.sent.map((e, i) => findLeaks(`event ${i}`, JSON.stringify(e), canaries)),
    ].flat()
    expect(traffic).toEqual([])
    // The traffic is the real thing: it shows each key's last four characters, which are allowed.
    const text = JSON.stringify(replies)
    for (const key of canaries.slice(0, 6)) expect(text).toContain(key.slice(-4))
    expect(replies.filter((r) => !r.reply.ok).length).toBeGreaterThanOrEqual(6)
  }, SCAN_TIMEOUT)

  it('nothing the engine logged carries a key', () => {
    expect(logged.flatMap((line, i) => findLeaks(`log line ${i}`, line, canaries))).toEqual([])
  })

  it('no line of the log file carries a key, even one quoting a key the engine used', () => {
    // A bug that logs a provider's raw reply or a request: the engine told the log each key it
    // resolved, so these are cut out however they are written, key-shaped or not (th-, gt-, pk_).
    for (const key of usedKeys) {
      fileLog.error(`raw reply: Incorrect API key provided: ${key}`)
      fileLog.warn('request dump', { headers: { authorization: Buffer.from(`Bearer ${key}`).toString('base64') }, hex: Buffer.from(key).toString('hex') })
    }
    expect(filesUnder(logsDir).map((f) => f.slice(logsDir.length + 1))).toContain('main.log')
    expect(findLeaksInTree(logsDir, canaries)).toEqual([])
  })

  it('no file in the library, its WAL or the exports carries a key, while open and after closing', async () => {
    const open = filesUnder(home).map((f) => f.slice(home.length + 1))
    expect(open).toEqual(expect.arrayContaining(['library.sqlite', 'library.sqlite-wal', 'library.sqlite-shm']))
    expect(findLeaksInTree(home, canaries)).toEqual([])
    const out = filesUnder(exportsDir).map((f) => f.slice(exportsDir.length + 1))
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/manifest\.csv$/), expect.stringMatching(/\.zip$/), expect.stringMatching(/manifest\.json$/)]))
    expect(findLeaksInTree(exportsDir, canaries)).toEqual([])

    await engine.close()
    expect(findLeaksInTree(home, canaries)).toEqual([])
  }, SCAN_TIMEOUT)
})

describe('without a keychain, the sealed key file', () => {
  it('holds no key in any encoding once a key was stored and used', async () => {
    const dir = tempDir('proofsheet-keyleak-sealed-')
    const sealedFile = join(dir, 'secrets.sealed.json')
    const sealedEngine = await createEngine({
      home: dir,
      runQueue: true,
      pollIntervalMs: 20,
      secrets: () => chooseSecretStore({ keytar: null, encryptor: aesEncryptor(), sealedFile }),
    })
    const secret = server.validKey('openai')
    // The key is bound to the host its provider points at when it is added: the test server's.
    await sealedEngine.router.handle('providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })
    const added = await sealedEngine.router.handle('keys.add', { provider: 'openai', label: 'sealed', secret })
    expect(added).toMatchObject({ ok: true, value: { backend: 'encrypted-file' } })
    const keyId = (added as { value: { id: string } }).value.id
    const request = { provider: 'openai', prompt: 'leak test: sealed key', sizes: [{ width: 1024, height: 1024 }], key: { keyId }, baseUrl: server.baseUrl('openai') }
    const queued = (await sealedEngine.router.handle('jobs.generate', request)) as { value: { jobs: JobView[] } }
    const [job] = await sealedEngine.waitForJobs([queued.value.jobs[0]!.id])
    expect(job?.status).toBe('succeeded')
    await sealedEngine.close()
    expect(filesUnder(dir).map((f) => f.slice(dir.length + 1))).toContain('secrets.sealed.json')
    expect(findLeaksInTree(dir, [secret])).toEqual([])
  }, SCAN_TIMEOUT)

  it('is never written by an encoder posing as a cipher (base64 would show the key)', async () => {
    const base64: Encryptor = {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => Buffer.from(Buffer.from(plain).toString('base64')),
      decryptString: (sealed) => Buffer.from(sealed.toString(), 'base64').toString(),
    }
    const key = wrongKey('sk-proj-test-')
    // What it would write is found by the scan, so a sealed file written by it could not pass above.
    expect(findLeaks('base64 "sealed" key', base64.encryptString(key), [key])).not.toEqual([])
    const dir = tempDir('proofsheet-keyleak-encoder-')
    const chosen = await chooseSecretStore({ keytar: null, encryptor: base64, sealedFile: join(dir, 'secrets.sealed.json') })
    expect(chosen.status).toMatchObject({ backend: 'session', message: expect.stringContaining('returned its input unencrypted') })
  })
})
