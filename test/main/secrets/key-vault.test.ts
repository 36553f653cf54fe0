/** KeyVault over an in-memory metadata store; the SQLite store is tested with the store. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { EncryptedFileSecretStore } from '../../../src/main/core/secrets/encrypted-file-store'
import { KeyVault } from '../../../src/main/core/secrets/key-vault'
import type { SecretStore } from '../../../src/main/core/secrets/secret-store'
import { SessionSecretStore } from '../../../src/main/core/secrets/session-store'
import { KeyInfo } from '../../../src/shared/api/keys'
import type { KeychainStatus } from '../../../src/shared/api/keys'
import { aesEncryptor } from './fixtures/aes-encryptor'
import { MemoryKeyMetadataStore } from './fixtures/memory-metadata-store'

const SECRET = 'sk-proj-Zq8xV3mT1yLp4Rk7Wd2NcB9hJ6sA0eGf'
const sessionStatus: KeychainStatus = { backend: 'session', persistent: false, message: 'session only' }

let metadata: MemoryKeyMetadataStore
let store: SessionSecretStore
let vault: KeyVault
beforeEach(() => {
  metadata = new MemoryKeyMetadataStore()
  store = new SessionSecretStore()
  vault = new KeyVault({ metadata, store, status: sessionStatus, now: () => 1_700_000_000_000 })
})

async function caught(work: Promise<unknown>): Promise<ApiError> {
  try {
    await work
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('expected an ApiError')
}

describe('KeyVault', () => {
  it('adds a trimmed key and returns only its public view', async () => {
    const info = await vault.add({ provider: ' openai ', label: '  studio ', secret: `\n ${SECRET}  \n` })
    expect(KeyInfo.strict().parse(info)).toEqual({
      id: info.id,
      provider: 'openai',
      label: 'studio',
      last4: '0eGf',
      backend: 'session',
      createdAt: 1_700_000_000_000,
      available: true,
      host: null,
    })
    expect(info.id).toMatch(/^key_[0-9a-f]+$/)
    expect(await store.get(info.id)).toBe(SECRET)
    expect(metadata.get(info.id)).toEqual({
      id: info.id,
      provider: 'openai',
      label: 'studio',
      last4: '0eGf',
      backend: 'session',
      createdAt: 1_700_000_000_000,
      host: null,
    })
    expect(await vault.resolveSecret(info.id)).toBe(SECRET)
  })

  it('never returns the secret from add, list, remove, status or an error', async () => {
    const returned: unknown[] = []
    returned.push(await vault.add({ provider: 'openai', label: 'studio', secret: SECRET }))
    returned.push(await vault.add({ provider: 'toapis', label: 'studio', secret: `${SECRET}-2` }))
    returned.push(await vault.list())
    returned.push(vault.status)
    returned.push(await caught(vault.add({ provider: 'openai', label: 'studio', secret: SECRET })))
    returned.push(await caught(vault.add({ provider: 'openai', label: 'x', secret: `${SECRET} extra` })))
    returned.push(await caught(vault.add({ provider: 'openai', label: 'y', secret: SECRET.slice(0, 7) })))
    returned.push(await vault.remove((returned[0] as KeyInfo).id))
    returned.push(await vault.list())
    for (const value of returned) {
      const json = JSON.stringify(value)
      expect(json).not.toContain(SECRET)
      expect(json).not.toContain(SECRET.slice(0, 7))
      expect(json).not.toContain(SECRET.slice(-8))
    }
  })

  it('rejects a duplicate label for the same provider, naming the label', async () => {
    const first = await vault.add({ provider: 'openai', label: 'studio', secret: SECRET })
    const err = await caught(vault.add({ provider: 'openai', label: ' studio ', secret: `${SECRET}2` }))
    expect(err.code).toBe('bad_input')
    expect(err.field).toBe('label')
    expect(err.message).toContain('"studio"')
    expect(err.fix).toBeTruthy()
    // The same label under another provider is fine.
    await vault.add({ provider: 'getimg', label: 'studio', secret: `${SECRET}3` })
    expect((await vault.list()).map((k) => k.provider).sort()).toEqual(['getimg', 'openai'])
    expect(await vault.resolveSecret(first.id)).toBe(SECRET)
  })

  it('lets only one of two simultaneous adds with the same label through', async () => {
    const results = await Promise.allSettled([
      vault.add({ provider: 'openai', label: 'studio', secret: `${SECRET}a` }),
      vault.add({ provider: 'openai', label: 'studio', secret: `${SECRET}b` }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(metadata.rows.size).toBe(1)
  })

  it.each([
    [{ provider: '', label: 'a', secret: SECRET }, 'provider'],
    [{ provider: 'openai', label: '   ', secret: SECRET }, 'label'],
    [{ provider: 'openai', label: 'x'.repeat(81), secret: SECRET }, 'label'],
    [{ provider: 'openai', label: 'a', secret: '  short ' }, 'secret'],
    [{ provider: 'openai', label: 'a', secret: 'sk-abc\ndef-ghi' }, 'secret'],
  ])('rejects bad input %#, naming the field', async (input, field) => {
    const err = await caught(vault.add(input))
    expect(err.code).toBe('bad_input')
    expect(err.field).toBe(field)
    expect(metadata.rows.size).toBe(0)
  })

  it('takes the secret back out when the metadata cannot be written', async () => {
    const seen: string[] = []
    const watching: SecretStore = {
      backend: 'session',
      persistent: false,
      set: async (account, secret) => {
        seen.push(account)
        await store.set(account, secret)
      },
      get: (account) => store.get(account),
      delete: (account) => store.delete(account),
    }
    const v = new KeyVault({ metadata, store: watching, status: sessionStatus })
    metadata.failNextInsert = new Error('SQLITE_FULL: database or disk is full')
    await expect(v.add({ provider: 'openai', label: 'studio', secret: SECRET })).rejects.toThrow('SQLITE_FULL')
    expect(seen).toHaveLength(1)
    expect(await store.get(seen[0]!)).toBeNull()
    expect(metadata.rows.size).toBe(0)
  })

  it('does not write metadata when the secret store fails', async () => {
    const broken: SecretStore = {
      backend: 'keychain',
      persistent: true,
      set: () => Promise.reject(new ApiError('unavailable', 'Could not store the key in the OS keychain: locked.')),
      get: async () => null,
      delete: async () => false,
    }
    const v = new KeyVault({ metadata, store: broken, status: sessionStatus })
    const err = await caught(v.add({ provider: 'openai', label: 'studio', secret: SECRET }))
    expect(err.code).toBe('unavailable')
    expect(metadata.rows.size).toBe(0)
  })

  it('removes secret and metadata, and removing again is not an error', async () => {
    const info = await vault.add({ provider: 'openai', label: 'studio', secret: SECRET })
    expect(await vault.remove(info.id)).toBe(true)
    expect(await store.get(info.id)).toBeNull()
    expect(metadata.get(info.id)).toBeUndefined()
    expect(await vault.remove(info.id)).toBe(false)
    expect(await vault.remove('key_never_existed')).toBe(false)
    expect(await vault.list()).toEqual([])
  })

  it('marks a session key unavailable after a restart and says why when it is needed', async () => {
    const info = await vault.add({ provider: 'openai', label: 'studio', secret: SECRET })
    const afterRestart = new KeyVault({ metadata, store: new SessionSecretStore(), status: sessionStatus })
    expect(await afterRestart.list()).toEqual([{ ...info, available: false }])
    const err = await caught(afterRestart.resolveSecret(info.id))
    expect(err.code).toBe('unavailable')
    expect(err.message).toBe('The key "studio" (openai) was kept for one session only and is gone since the app restarted.')
    expect(err.fix).toContain('add it again')
    expect(await afterRestart.remove(info.id)).toBe(true)
  })

  it('marks a key unavailable when its secret was deleted behind its back', async () => {
    const info = await vault.add({ provider: 'openai', label: 'studio', secret: SECRET })
    const other = await vault.add({ provider: 'openai', label: 'home', secret: `${SECRET}x` })
    await store.delete(info.id)
    const listed = await vault.list()
    expect(listed.find((k) => k.id === info.id)?.available).toBe(false)
    expect(listed.find((k) => k.id === other.id)?.available).toBe(true)
    await expect(vault.resolveSecret(info.id)).rejects.toThrow(/"studio"/)
  })

  it('reports an unknown id as not found', async () => {
    const err = await caught(vault.resolveSecret('key_nope'))
    expect(err.code).toBe('not_found')
    expect(err.message).toContain('key_nope')
  })

  it('names the key when its store fails to read it, and lists it as unavailable', async () => {
    const info = await vault.add({ provider: 'openai', label: 'studio', secret: SECRET })
    const locked: SecretStore = {
      backend: 'session',
      persistent: false,
      set: async () => undefined,
      get: () => Promise.reject(new ApiError('unavailable', 'Could not read the key in the OS keychain: locked.', { fix: 'Unlock it.' })),
      delete: async () => false,
    }
    const v = new KeyVault({ metadata, store: locked, status: sessionStatus })
    expect((await v.list())[0]?.available).toBe(false)
    const err = await caught(v.resolveSecret(info.id))
    expect(err.code).toBe('unavailable')
    expect(err.message).toContain('"studio"')
    expect(err.fix).toBe('Unlock it.')
  })

  it('works over the sealed file, which never holds the secret readable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofsheet-vault-'))
    try {
      const file = join(dir, 'secrets.sealed.json')
      const sealed = new EncryptedFileSecretStore(aesEncryptor(), file)
      const status: KeychainStatus = { backend: 'encrypted-file', persistent: true, message: 'sealed' }
      const v = new KeyVault({ metadata, store: sealed, status })
      const info = await v.add({ provider: 'openai', label: 'studio', secret: SECRET })
      expect(info.backend).toBe('encrypted-file')
      expect(await readFile(file, 'utf8')).not.toContain(SECRET)
      expect(await v.resolveSecret(info.id)).toBe(SECRET)
      expect(v.status).toEqual(status)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
