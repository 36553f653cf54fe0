/**
 * Hands the engine Electron's safeStorage as the plain Encryptor interface it knows, so the
 * engine never imports Electron. Create it only after app `ready`: before that, safeStorage
 * reports no encryption on Linux. Whether a backend is good enough is the engine's decision.
 */
import type { SafeStorage } from 'electron'
import type { Encryptor } from '../core'

export function safeStorageEncryptor(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform = process.platform,
): Encryptor {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    // Only Linux has a choice of backends; elsewhere the OS keychain/DPAPI is the backend.
    backendName: () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platformBackend(platform)),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (cipher) => safeStorage.decryptString(cipher),
  }
}

function platformBackend(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain'
  if (platform === 'win32') return 'dpapi'
  return 'unknown'
}
