import { describe, expect, it } from 'vitest'
import { safeStorageEncryptor } from '../../../src/main/electron/safe-storage'

function fakeSafeStorage(backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(`enc:${plain}`),
    decryptString: (cipher: Buffer) => cipher.toString().replace(/^enc:/, ''),
  }
}

describe('safeStorageEncryptor', () => {
  it('passes encryption through to safeStorage', () => {
    const encryptor = safeStorageEncryptor(fakeSafeStorage(), 'linux')
    expect(encryptor.isEncryptionAvailable()).toBe(true)
    const cipher = encryptor.encryptString('sk-secret')
    expect(cipher.toString()).toBe('enc:sk-secret')
    expect(encryptor.decryptString(cipher)).toBe('sk-secret')
  })

  it('reports the Linux backend, so the engine can refuse basic_text', () => {
    expect(safeStorageEncryptor(fakeSafeStorage('basic_text'), 'linux').backendName?.()).toBe('basic_text')
    expect(safeStorageEncryptor(fakeSafeStorage('gnome_libsecret'), 'linux').backendName?.()).toBe('gnome_libsecret')
  })

  it('names the OS store elsewhere', () => {
    expect(safeStorageEncryptor(fakeSafeStorage(), 'darwin').backendName?.()).toBe('keychain')
    expect(safeStorageEncryptor(fakeSafeStorage(), 'win32').backendName?.()).toBe('dpapi')
  })
})
