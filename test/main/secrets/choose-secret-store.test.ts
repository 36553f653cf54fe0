/** The choice between keychain, sealed file and session, with keytar stand-ins for the failure modes. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chooseSecretStore } from '../../../src/main/core/secrets/choose-secret-store'
import { EncryptedFileSecretStore } from '../../../src/main/core/secrets/encrypted-file-store'
import type { KeytarLike } from '../../../src/main/core/secrets/keytar-store'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytar-store'
import { SessionSecretStore } from '../../../src/main/core/secrets/session-store'
import { aesEncryptor, basicTextEncryptor, identityEncryptor } from './fixtures/aes-encryptor'

/** An in-memory keychain, so the probe's traces can be inspected. */
class MapKeytar implements KeytarLike {
  readonly entries = new Map<string, string>()
  async getPassword(service: string, account: string): Promise<string | null> {
    return this.entries.get(`${service}/${account}`) ?? null
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.entries.set(`${service}/${account}`, password)
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.entries.delete(`${service}/${account}`)
  }
}

const rejecting: KeytarLike = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
}

let dir: string
let sealedFile: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofsheet-choose-'))
  sealedFile = join(dir, 'secrets.sealed.json')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('chooseSecretStore', () => {
  it('takes the keychain when a probe round trip works, and removes the probe', async () => {
    const keytar = new MapKeytar()
    const { store, status } = await chooseSecretStore({ keytar, encryptor: aesEncryptor(), sealedFile })
    expect(store).toBeInstanceOf(KeytarSecretStore)
    expect(status).toEqual({
      backend: 'keychain',
      persistent: true,
      message: 'Keys are stored in the OS keychain (service "Proofsheet").',
    })
    expect(keytar.entries.size).toBe(0)
    await store.set('key_1', 'sk-abcdefgh')
    expect([...keytar.entries.keys()]).toEqual(['Proofsheet/key_1'])
  })

  it('falls back to the sealed file when the keychain rejects and safe storage encrypts', async () => {
    const { store, status } = await chooseSecretStore({ keytar: rejecting, encryptor: aesEncryptor(), sealedFile })
    expect(store).toBeInstanceOf(EncryptedFileSecretStore)
    expect(status.backend).toBe('encrypted-file')
    expect(status.persistent).toBe(true)
    expect(status.message).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY')
    expect(status.message).toContain(sealedFile)
  })

  it('falls back to the session when there is neither', async () => {
    const { store, status } = await chooseSecretStore({ keytar: rejecting, sealedFile })
    expect(store).toBeInstanceOf(SessionSecretStore)
    expect(status.backend).toBe('session')
    expect(status.persistent).toBe(false)
    expect(status.message).toContain(
      'No OS keychain is available (Cannot autolaunch D-Bus without X11 $DISPLAY); keys you add are kept for this session only and must be added again after a restart.',
    )
  })

  it.each([
    ['basic_text', basicTextEncryptor()],
    ['unknown', aesEncryptor({ backendName: 'unknown' })],
    ['unavailable', aesEncryptor({ available: false })],
    ['identity', identityEncryptor()],
  ])('never uses a %s encryptor: session only, and no file is written', async (_name, encryptor) => {
    const { store, status } = await chooseSecretStore({ keytar: null, encryptor, sealedFile })
    expect(store.backend).toBe('session')
    expect(status.message).toContain("The system's safe storage cannot be used either")
    expect(status.message).not.toMatch(/plain/i)
    await store.set('key_1', 'sk-abcdefgh')
    await expect(rm(sealedFile)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('gives up on a keychain that never answers, and cleans up if it answers later', async () => {
    const keytar = new MapKeytar()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let lateWrites = 0
    const hanging: KeytarLike = {
      setPassword: async (s, a, p) => {
        await gate
        lateWrites++
        return keytar.setPassword(s, a, p)
      },
      getPassword: (s, a) => keytar.getPassword(s, a),
      deletePassword: (s, a) => keytar.deletePassword(s, a),
    }
    const { status } = await chooseSecretStore({ keytar: hanging, sealedFile, probeTimeoutMs: 20 })
    expect(status.backend).toBe('session')
    expect(status.message).toMatch(/the keychain did not answer within .*; it may be locked/)

    release()
    await expect.poll(() => ({ lateWrites, left: keytar.entries.size })).toEqual({ lateWrites: 1, left: 0 })
  })

  it('rejects a keychain that returns something other than what was written', async () => {
    const keytar = new MapKeytar()
    const liar: KeytarLike = { ...bind(keytar), getPassword: async () => 'something else' }
    const { status } = await chooseSecretStore({ keytar: liar, sealedFile })
    expect(status.backend).toBe('session')
    expect(status.message).toContain('the keychain did not return what was written to it')
    expect(keytar.entries.size).toBe(0)
  })

  it('uses the service name it is given', async () => {
    const keytar = new MapKeytar()
    const { store } = await chooseSecretStore({ keytar, sealedFile, serviceName: 'Proofsheet-test-x' })
    await store.set('key_1', 'sk-abcdefgh')
    expect([...keytar.entries.keys()]).toEqual(['Proofsheet-test-x/key_1'])
  })
})

function bind(keytar: MapKeytar): KeytarLike {
  return {
    getPassword: (s, a) => keytar.getPassword(s, a),
    setPassword: (s, a, p) => keytar.setPassword(s, a, p),
    deletePassword: (s, a) => keytar.deletePassword(s, a),
  }
}
