/**
 * The key-hosts migration (N-1, insert, N, compare). Its number may change when branches merge:
 * everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migration0008 as migrationKeyHosts } from '../../../src/main/core/store/migrations/0008-key-hosts'
import { KeysRepo } from '../../../src/main/core/store/keys-repo'
import { openAtVersion } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationKeyHosts.version

describe(`${String(V).padStart(4, '0')}-key-hosts`, () => {
  it("gives each existing key the host+port its provider points at now, and none to a key whose provider is gone", () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    const addKey = before.prepare(`INSERT INTO keys (id, provider, label, last4, backend, created_at) VALUES (?, ?, 'studio', 'abcd', 'keychain', 1)`)
    const addProfile = before.prepare(`INSERT INTO provider_profiles (id, kind, data, updated_at) VALUES (?, ?, ?, 1)`)
    addProfile.run('tokenhub', 'override', JSON.stringify({ kind: 'override', id: 'tokenhub', baseUrl: 'http://127.0.0.1:8123/tokenhub/api/v1' }))
    addProfile.run('getimg', 'override', JSON.stringify({ kind: 'override', id: 'getimg', concurrency: 2 }))
    addProfile.run('studio-proxy', 'custom', JSON.stringify({ kind: 'custom', id: 'studio-proxy', baseUrl: 'https://Proxy.Example.com:8443/v1' }))
    for (const [id, provider] of [
      ['key_openai', 'openai'],
      ['key_tokenhub', 'tokenhub'],
      ['key_getimg', 'getimg'],
      ['key_proxy', 'studio-proxy'],
      ['key_gone', 'removed-proxy'],
    ]) addKey.run(id, provider)
    before.close()

    const db = openAtVersion(file, V)
    const keys = new KeysRepo(db)
    expect(Object.fromEntries(keys.list().map((k) => [k.id, k.host]))).toEqual({
      key_openai: 'api.openai.com',
      key_tokenhub: '127.0.0.1:8123',
      key_getimg: 'api.getimg.ai',
      key_proxy: 'proxy.example.com:8443',
      key_gone: null,
    })
    db.close()
  })
})
