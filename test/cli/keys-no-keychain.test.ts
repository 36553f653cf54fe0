/**
 * `keys add` on a machine with no working keychain. The test suite runs inside a D-Bus session
 * with a real keyring; this process is started outside it (no session bus, no X display), so
 * keytar itself rejects ("Cannot autolaunch D-Bus without X11 $DISPLAY") as it does on a server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli-process'

const homes: string[] = []
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })))
const NO_KEYRING = ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']

describe('keys add with no working keychain', () => {
  it('exits 2, stores nothing and suggests --key-env instead of keeping the key for a session that ends with the command', async () => {
    const home = mkdtempSync(join(tmpdir(), 'proofsheet-nokeyring-'))
    homes.push(home)
    const add = await startCli(['keys', 'add', 'openai', '--label', 'studio', '--home', home], { stdin: 'sk-live-abcdef123456', unset: NO_KEYRING }).done
    expect(add.code).toBe(2)
    expect(add.stderr).toMatch(/^error: No OS keychain can keep the key, so it was not stored/m)
    expect(add.stderr).toMatch(/^fix: Pass the key to each command with --key-env VAR instead, e\.g\. export OPENAI_KEY=\.\.\.; proofsheet generate --provider openai --key-env OPENAI_KEY/m)
    expect(add.stdout).toBe('')
    expect(`${add.stdout}${add.stderr}`).not.toContain('sk-live-abcdef123456')

    const json = await startCli(['keys', 'add', 'openai', '--label', 'studio', '--json', '--home', home], { stdin: 'sk-live-abcdef123456', unset: NO_KEYRING }).done
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { flag: '--key-env', fix: expect.stringMatching(/--key-env/) } })

    const list = await startCli(['keys', 'list', '--json', '--home', home], { unset: NO_KEYRING }).done
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).keys).toEqual([])
  })
})
