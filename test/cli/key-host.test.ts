/**
 * The CLI's `--base-url` with a stored key (`--key LABEL`) is a per-job base URL like any other: a
 * stored key goes only to the host it was stored for, so it is refused (exit 2) with a message
 * naming --key-env, and nothing reaches the other server. `--key-env` with `--base-url` still works.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli-process'
import { useProviderServer } from '../helpers/provider-server-per-file'
import type { ProviderServer } from '../provider-server'

let server: ProviderServer
useProviderServer((s) => (server = s))
const home = mkdtempSync(join(tmpdir(), 'proofsheet-cli-key-host-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const cli = (args: string[], opts: Parameters<typeof startCli>[1] = {}) => startCli([...args, '--home', home], opts).done
const SLOW = 120_000

describe('proofsheet generate --base-url with a stored key', () => {
  it('refuses --key LABEL for another host, naming --key-env; --key-env goes through', async () => {
    const added = await cli(['keys', 'add', 'openai', '--label', 'studio'], { stdin: `${server.validKey('openai')}\n` })
    expect(added.code, added.stderr).toBe(0)
    const gen = ['generate', '--provider', 'openai', '--base-url', server.baseUrl('openai'), '--prompt', 'courier test', '--size', '1024x1024', '--wait']

    for (const json of [[], ['--json']]) {
      const refused = await cli([...gen, '--key', 'studio', ...json])
      expect(refused.code).toBe(2)
      const said = refused.stdout + refused.stderr
      expect(said).toContain('--key-env')
      expect(said).toContain('--base-url')
      expect(said).toMatch(/entered for api\.openai\.com/)
    }
    expect(server.requests).toEqual([])

    const viaEnv = await cli([...gen, '--key-env', 'COURIER_KEY', '--json'], { env: { COURIER_KEY: server.validKey('openai') } })
    expect(viaEnv.code, viaEnv.stderr).toBe(0)
    expect(JSON.parse(viaEnv.stdout).jobs[0]).toMatchObject({ status: 'succeeded' })
  }, SLOW)
})
