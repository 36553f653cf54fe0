/**
 * What a user without a usable keychain gets, with the real keytar in a child process whose
 * environment has no Secret Service: never plaintext, and a message saying what happened.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeychainStatus } from '../../../src/shared/api/keys'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
const child = fileURLToPath(new URL('./fixtures/choose-store-child.ts', import.meta.url))

interface ChildResult {
  store: string
  persistent: boolean
  status: KeychainStatus
  roundTrip: boolean
}

/** The environment of a machine with no session bus: how keytar finds the Secret Service. */
function withoutSecretService(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) delete env[name]
  return env
}

async function chooseInChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  const { stdout } = await run(command, args, { cwd: root, env, timeout: 25_000 })
  const last = stdout.trim().split('\n').at(-1) ?? ''
  const parsed = JSON.parse(last) as ChildResult
  KeychainStatus.parse(parsed.status)
  return parsed
}

const nodeArgs = (sealed: string, encryptor: string): string[] => ['--import', 'tsx', child, sealed, encryptor]

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofsheet-fallback-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('without a reachable keychain', () => {
  it('keeps keys for this session only and says so, when there is no D-Bus', async () => {
    const result = await chooseInChild(process.execPath, nodeArgs(join(dir, 'a.sealed.json'), 'none'), withoutSecretService())
    expect(result.store).toBe('session')
    expect(result.roundTrip).toBe(true)
    expect(result.status.backend).toBe('session')
    expect(result.status.persistent).toBe(false)
    expect(result.status.message).toMatch(/^No OS keychain is available \(.*D-Bus.*\)/)
    expect(result.status.message).toContain('kept for this session only and must be added again after a restart')
    expect(result.status.message).toContain('Install/unlock a Secret Service keyring (gnome-keyring, KWallet)')
    expect(result.status.message).not.toMatch(/plain/i)
  })

  it('seals keys in the library file when safe storage really encrypts', async () => {
    const sealed = join(dir, 'b.sealed.json')
    const result = await chooseInChild(process.execPath, nodeArgs(sealed, 'aes'), withoutSecretService())
    expect(result.store).toBe('encrypted-file')
    expect(result.status).toMatchObject({ backend: 'encrypted-file', persistent: true })
    expect(result.status.message).toContain(sealed)
    expect(result.roundTrip).toBe(true)
    // The child added and removed one key: the file exists and holds no entries now.
    expect(JSON.parse(await readFile(sealed, 'utf8'))).toEqual({ version: 1, entries: {} })
  })

  it('refuses basic_text safe storage and falls back to the session', async () => {
    const sealed = join(dir, 'c.sealed.json')
    const result = await chooseInChild(process.execPath, nodeArgs(sealed, 'basic_text'), withoutSecretService())
    expect(result.store).toBe('session')
    expect(result.status.persistent).toBe(false)
    expect(result.status.message).toContain("The system's safe storage cannot be used either")
    expect(result.status.message).not.toMatch(/plain/i)
    await expect(readFile(sealed)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('falls back to the session when the keyring is running but locked', async () => {
    // A bus of its own with a gnome-keyring whose login keyring is created, then locked. Its
    // files live in the temp dir (XDG_DATA_HOME), never the user's; there is no DISPLAY, so no
    // unlock prompt can appear on a developer's screen.
    const env = { ...withoutSecretService(), XDG_DATA_HOME: join(dir, 'xdg-data') }
    const script = [
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
        'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null',
      'exec "$@"',
    ].join(' && ')
    const args = ['--', 'sh', '-c', script, 'sh', process.execPath, ...nodeArgs(join(dir, 'd.sealed.json'), 'none')]
    let result: ChildResult
    try {
      result = await chooseInChild('dbus-run-session', args, env)
    } catch (err) {
      throw new Error(`This test needs dbus-run-session, dbus-send and gnome-keyring-daemon on PATH: ${String(err)}`, { cause: err })
    }
    expect(result.store).toBe('session')
    expect(result.status.persistent).toBe(false)
    expect(result.status.message).toMatch(/^No OS keychain is available \(.*locked.*\); keys you add are kept for this session only/)
  })
})
