/** Keys sealed in the library folder: really encrypted, atomic, private, and refused when not. */
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/shared/api/errors'
import { EncryptedFileSecretStore } from '../../../src/main/core/secrets/encrypted-file-store'
import { aesEncryptor, basicTextEncryptor, identityEncryptor } from './fixtures/aes-encryptor'

const SECRET = 'sk-proj-Zq8xV3mT1yLp4Rk7Wd2NcB9hJ6sA0eGf'

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofsheet-sealed-'))
  file = join(dir, 'library', 'secrets.sealed.json')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets through a sealed file that never holds them readable', async () => {
    const encryptor = aesEncryptor({ backendName: 'gnome_libsecret' })
    const store = new EncryptedFileSecretStore(encryptor, file)
    expect(store.backend).toBe('encrypted-file')
    expect(store.persistent).toBe(true)
    expect(await store.get('key_a')).toBeNull()

    await store.set('key_a', SECRET)
    await store.set('key_b', 'sk-other-12345678')
    expect(await store.get('key_a')).toBe(SECRET)

    const raw = await readFile(file)
    const text = raw.toString('utf8')
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex'), SECRET.slice(8, 24)]) {
      expect(text).not.toContain(form)
    }
    expect(raw.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false)

    const parsed = JSON.parse(text) as { version: number; entries: Record<string, string> }
    expect(parsed.version).toBe(1)
    expect(Object.keys(parsed.entries).sort()).toEqual(['key_a', 'key_b'])
    expect(encryptor.decryptString(Buffer.from(parsed.entries['key_a']!, 'base64'))).toBe(SECRET)

    // A fresh instance (the next app start) reads the same file.
    const reopened = new EncryptedFileSecretStore(encryptor, file)
    expect(await reopened.get('key_b')).toBe('sk-other-12345678')
    expect(await reopened.delete('key_a')).toBe(true)
    expect(await reopened.delete('key_a')).toBe(false)
    expect(await store.get('key_a')).toBeNull()
  })

  it.runIf(process.platform !== 'win32')('writes the file with mode 0600 and leaves no temp files', async () => {
    const store = new EncryptedFileSecretStore(aesEncryptor(), file)
    await store.set('key_a', SECRET)
    await chmod(file, 0o644)
    await store.set('key_b', SECRET) // a rewrite replaces the file, and with it the mode
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(dir, 'library'))).toEqual(['secrets.sealed.json'])
  })

  it('keeps every entry when writes overlap', async () => {
    const store = new EncryptedFileSecretStore(aesEncryptor(), file)
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`key_${i}`, `sk-secret-${i}-abcdefgh`)))
    const again = new EncryptedFileSecretStore(aesEncryptor(), file) // another key: cannot decrypt, but can count
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { entries: Record<string, string> }
    expect(Object.keys(parsed.entries)).toHaveLength(20)
    expect(await store.get('key_13')).toBe('sk-secret-13-abcdefgh')
    await expect(again.get('key_13')).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('does not overwrite a file it cannot understand', async () => {
    await rm(join(dir, 'library'), { recursive: true, force: true })
    const store = new EncryptedFileSecretStore(aesEncryptor(), join(dir, 'secrets.sealed.json'))
    await writeFile(join(dir, 'secrets.sealed.json'), '{"version": 2, "entries": {}}')
    await expect(store.set('key_a', SECRET)).rejects.toMatchObject({ code: 'unavailable' })
    await expect(store.get('key_a')).rejects.toThrow(/damaged or from a newer version/)
    expect(await readFile(join(dir, 'secrets.sealed.json'), 'utf8')).toBe('{"version": 2, "entries": {}}')
  })

  it.each([
    ['isEncryptionAvailable() is false', aesEncryptor({ available: false }), /encryption is not available/],
    ["backendName() is 'basic_text'", basicTextEncryptor(), /no keyring to encrypt with \(backend "basic_text"\)/],
    ["backendName() is 'unknown'", aesEncryptor({ backendName: 'unknown' }), /backend "unknown"/],
    ['encryptString returns its input', identityEncryptor(), /returned its input unencrypted/],
  ])('refuses to be built when %s', async (_what, encryptor, reason) => {
    let thrown: unknown
    try {
      new EncryptedFileSecretStore(encryptor, file)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(ApiError)
    expect((thrown as ApiError).code).toBe('unavailable')
    expect((thrown as ApiError).message).toMatch(reason)
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
