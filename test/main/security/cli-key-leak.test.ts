/**
 * The command line never prints or leaves behind a key. Real `proofsheet` processes add keys from
 * stdin into the real keychain (the test D-Bus session), use them and `--key-env` keys against the
 * provider test server (sync, ToAPIs async, getimg; 5xx retries, a wrong key's 401, a malformed
 * key), list, export (CSV and JSON manifests, ZIP), are killed with SIGKILL in the middle of a
 * call, and crash on an unexpected error. All their stdout and stderr, and every file they left
 * in the library, the export folders and the log folder (cli.log, rotated files), are searched
 * for every key.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli, type CliProcess, type CliProcessOptions, type CliProcessRun } from '../../helpers/cli-process'
import { findLeaks, findLeaksInTree, filesUnder, type Leak } from '../../helpers/key-leak-scan'
import { call, openEngine } from '../../helpers/engine'
import { useProviderServer } from '../../helpers/provider-server-per-file'
import { until } from '../../helpers/wait'
import type { ProviderId, ProviderServer } from '../../provider-server'

const CRASH_ON_FETCH = join(import.meta.dirname, 'fixtures', 'crash-on-fetch.mjs')
let server: ProviderServer
useProviderServer((s) => (server = s))

const dirs: string[] = []
const newDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** Every process this file ran, with all it printed. */
const runs: CliProcessRun[] = []
const canaries: string[] = []
const canary = (prefix: string): string => {
  const key = `${prefix}${randomBytes(12).toString('hex')}`
  canaries.push(key)
  return key
}

function start(args: string[], opts: CliProcessOptions = {}): CliProcess {
  // Every process of this file logs into one folder of its own, read at the end.
  const child = startCli(args, { ...opts, env: { ...opts.env, PROOFSHEET_LOG_DIR: logs } })
  runs.push(child.run)
  return child
}

const cli = (args: string[], opts: Parameters<typeof start>[1] = {}) => start(args, opts).done

function outputLeaks(): Leak[] {
  return runs.flatMap((r, i) => [
    ...findLeaks(`stdout of run ${i} (${r.args.slice(0, 3).join(' ')})`, r.stdout, canaries),
    ...findLeaks(`stderr of run ${i} (${r.args.slice(0, 3).join(' ')})`, r.stderr, canaries),
  ])
}

const home = newDir('proofsheet-cli-keyleak-')
const out = newDir('proofsheet-cli-keyleak-out-')
const logs = newDir('proofsheet-cli-keyleak-logs-')
const KEY_VAR = 'PROOFSHEET_LEAK_TEST_KEY'
/** Each test starts several Node processes; on a busy machine that takes a while. */
const SLOW = 240_000

describe('the CLI never prints or stores a key', () => {
  it('adds keys from stdin, then generates with them and with --key-env, failures included', async () => {
    canaries.push(...(['openai', 'toapis', 'getimg', 'tokensmart'] as ProviderId[]).map((p) => server.validKey(p)))
    // A stored key goes only to the host its provider pointed at when it was added: point the
    // profiles at the test server first (a --base-url of its own is for --key-env keys only).
    const setup = await openEngine(home, { runQueue: false })
    for (const provider of ['openai', 'toapis', 'getimg', 'gettoken'] as ProviderId[]) {
      await call(setup, 'providers.save', { kind: 'override', id: provider, baseUrl: server.baseUrl(provider) })
    }
    await setup.close()
    for (const provider of ['openai', 'toapis', 'getimg'] as ProviderId[]) {
      const add = await cli(['keys', 'add', provider, '--label', `${provider} studio`, '--home', home], { stdin: `${server.validKey(provider)}\n` })
      expect(add.code).toBe(0)
      expect(add.stdout).toContain(`…${server.validKey(provider).slice(-4)}`)
    }
    const wrong = canary('gt-img-test-')
    expect((await cli(['keys', 'add', 'gettoken', '--label', 'revoked', '--json', '--home', home], { stdin: wrong })).code).toBe(0)
    expect((await cli(['keys', 'list', '--home', home])).code).toBe(0)
    expect((await cli(['keys', 'list', '--json', '--home', home])).code).toBe(0)

    const gen = (provider: ProviderId, key: string[], size: string[], json = true, env: Record<string, string> = {}) =>
      cli(['generate', '--provider', provider, ...(key[0] === '--key-env' ? ['--base-url', server.baseUrl(provider)] : []), ...key, '--prompt', `leak test ${provider}`, ...size, '--wait', ...(json ? ['--json'] : []), '--home', home], { env })

    server.inject('openai', { status: 503 })
    const openai = await gen('openai', ['--key', 'openai studio'], ['--size', '1024x1024'])
    expect(openai.code).toBe(0)
    expect(JSON.parse(openai.stdout).jobs[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
    expect((await gen('toapis', ['--key', 'toapis studio'], ['--aspect', '1:1', '--resolution', '1K'], false)).code).toBe(0)
    server.inject('getimg', { status: 500 })
    expect((await gen('getimg', ['--key', 'getimg studio'], ['--aspect', '1:1', '--resolution', '1K'])).code).toBe(0)
    expect((await gen('tokensmart', ['--key-env', KEY_VAR], ['--size', '1024x1024'], false, { [KEY_VAR]: server.validKey('tokensmart') })).code).toBe(0)

    const refused = await gen('gettoken', ['--key', 'revoked'], ['--size', '1024x1024'], false)
    expect(refused.code).toBe(1)
    expect(refused.stdout + refused.stderr).toMatch(/Check the key/)
    const badEnv = await gen('openai', ['--key-env', KEY_VAR], ['--size', '1024x1024'], true, { [KEY_VAR]: canary('sk-proj-test-') })
    expect(JSON.parse(badEnv.stdout).jobs[0]).toMatchObject({ status: 'failed', error: { kind: 'auth' } })
    // Two keys on two lines in one variable: fetch would refuse the header and quote it in full.
    const twoLines = `${canary('sk-proj-test-')}\n${canary('sk-proj-test-')}`
    const malformed = await gen('openai', ['--key-env', KEY_VAR], ['--size', '1024x1024'], true, { [KEY_VAR]: twoLines })
    expect(malformed.code).toBe(1)
    expect(JSON.parse(malformed.stdout).jobs[0]).toMatchObject({ status: 'failed', error: { kind: 'auth', code: 'malformed_key' } })

    expect(server.requests.filter((r) => r.route !== 'file' && r.provider !== 'gettoken' && r.auth.matched)).not.toEqual([])
    for (const args of [['queue'], ['queue', '--json'], ['gallery'], ['gallery', '--json']]) expect((await cli([...args, '--home', home])).code).toBe(0)
  }, SLOW)

  it('exports with CSV and JSON manifests and a ZIP', async () => {
    const csv = await cli(['export', '--out', join(out, 'csv'), '--manifest', 'csv', '--zip', '--home', home])
    expect(csv.code).toBe(0)
    const json = await cli(['export', '--out', join(out, 'json'), '--manifest', 'json', '--naming', '{provider}-{index}.{ext}', '--json', '--home', home])
    expect(json.code).toBe(0)
    const written = filesUnder(out).map((f) => f.slice(out.length + 1))
    expect(written).toEqual(expect.arrayContaining([expect.stringMatching(/manifest\.csv$/), expect.stringMatching(/\.zip$/), expect.stringMatching(/manifest\.json$/)]))
  }, SLOW)

  it('killed with SIGKILL while a ToAPIs task is polled, then resumed with `run`', async () => {
    server.inject('toapis', 'task-stuck', { polls: 3 })
    const child = start(['generate', '--provider', 'toapis', '--key', 'toapis studio', '--prompt', 'leak test killed', '--aspect', '1:1', '--resolution', '1K', '--wait', '--home', home])
    await until(() => server.tasks.some((t) => t.polls >= 1), 'the task is being polled', 60_000).catch((e) => {
      child.kill()
      throw new Error(`${e}\n${JSON.stringify(runs.at(-1))} ${JSON.stringify(server.requests.map((r) => [r.route, r.status]))}`)
    })
    child.kill()
    const killed = await child.done
    expect(killed.signal).toBe('SIGKILL')
    // Killed mid-write: the WAL still holds what the process wrote, and is scanned below.
    expect(existsSync(join(home, 'library.sqlite-wal'))).toBe(true)
    expect(findLeaksInTree(home, canaries)).toEqual([])
    expect((await cli(['run', '--json', '--home', home])).code).toBe(0)
  }, SLOW)

  it('crashes in the middle of a call (a stack trace) and stops on a damaged library, printing no key', async () => {
    // An uncaught exception while a provider call is in flight (the fixture throws from inside fetch).
    const crashed = await cli(['generate', '--provider', 'openai', '--key', 'openai studio', '--prompt', 'leak test crash', '--size', '1024x1024', '--wait', '--home', home], {
      nodeArgs: ['--import', CRASH_ON_FETCH],
    })
    expect(crashed.code).not.toBe(0)
    expect(crashed.stderr).toMatch(/simulated crash inside fetch[\s\S]*at /)
    // The crash is in the log file too, stack and all, while stderr stays what Node prints.
    expect(readFileSync(join(logs, 'cli.log'), 'utf8')).toMatch(/\[crash\] uncaughtException:[\s\S]*simulated crash inside fetch[\s\S]*at /)

    // A library that is not a database, opened while a key waits in the environment.
    const broken = newDir('proofsheet-cli-keyleak-broken-')
    writeFileSync(join(broken, 'library.sqlite'), Buffer.alloc(4096, 0x5a))
    const garbled = await cli(['generate', '--provider', 'tokensmart', '--key-env', KEY_VAR, '--prompt', 'x', '--size', '1024x1024', '--wait', '--home', broken], {
      env: { [KEY_VAR]: server.validKey('tokensmart') },
    })
    expect(garbled.code).not.toBe(0)
    expect(garbled.stderr).toMatch(/error: Refused to use .*library\.sqlite: it is damaged/)
    expect(findLeaksInTree(broken, canaries)).toEqual([])
  }, SLOW)

  it('nothing any process printed, and no file it left, carries a key', () => {
    expect(runs.length).toBeGreaterThan(15)
    expect(outputLeaks()).toEqual([])
    expect(readdirSync(home)).toEqual(expect.arrayContaining(['library.sqlite', 'images', 'thumbs']))
    expect(findLeaksInTree(home, canaries)).toEqual([])
    expect(findLeaksInTree(out, canaries)).toEqual([])
    expect(readdirSync(logs)).toContain('cli.log')
    expect(findLeaksInTree(logs, canaries)).toEqual([])
  })
})
