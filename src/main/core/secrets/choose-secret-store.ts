/**
 * Picks where key secrets live on this machine, in order of preference: the OS keychain, then a
 * file sealed by Electron's safeStorage, then memory for this session only. There is no plaintext
 * step: a caller must not add one, and the status message must say honestly which one was taken.
 */
import { randomBytes } from 'node:crypto'
import type { KeychainStatus } from '../../../shared/api/keys'
import { DeadlineError, withDeadline } from './deadline'
import { EncryptedFileSecretStore } from './encrypted-file-store'
import { encryptorProblem, errorText } from './encryptor'
import type { Encryptor } from './encryptor'
import { KEYCHAIN_SERVICE, KeytarSecretStore, tryLoadKeytar } from './keytar-store'
import type { KeytarLike } from './keytar-store'
import type { SecretStore } from './secret-store'
import { SessionSecretStore } from './session-store'

export interface ChooseSecretStoreOptions {
  /** undefined: load the real keytar; null: there is no keychain (e.g. tests, or keytar disabled). */
  keytar?: KeytarLike | null
  /** Electron's safeStorage in the app; absent under plain Node (CLI). */
  encryptor?: Encryptor | null
  /** Where the encrypted-file backend keeps keys, normally `<home>/secrets.sealed.json`. */
  sealedFile: string
  serviceName?: string
  /** How long the keychain probe may take; a locked keychain can hang instead of failing. */
  probeTimeoutMs?: number
}

export interface ChosenSecretStore {
  store: SecretStore
  status: KeychainStatus
}

export type ProbeResult = { ok: true } | { ok: false; reason: string }

export const PROBE_TIMEOUT_MS = 3_000

export async function chooseSecretStore(opts: ChooseSecretStoreOptions): Promise<ChosenSecretStore> {
  const serviceName = opts.serviceName ?? KEYCHAIN_SERVICE
  const probeTimeoutMs = opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS

  let keychainReason: string
  const load = opts.keytar === undefined ? tryLoadKeytar() : null
  const keytar = opts.keytar === undefined ? (load?.keytar ?? null) : opts.keytar
  if (keytar === null) {
    keychainReason = load?.reason ?? 'no keychain module was provided'
  } else {
    const probe = await probeKeychain(keytar, serviceName, probeTimeoutMs)
    if (probe.ok) {
      return {
        store: new KeytarSecretStore(keytar, { serviceName }),
        status: {
          backend: 'keychain',
          persistent: true,
          message: `Keys are stored in the OS keychain (service "${serviceName}").`,
        },
      }
    }
    keychainReason = probe.reason
  }

  let encryptorReason: string | null = null
  if (opts.encryptor) {
    encryptorReason = encryptorProblem(opts.encryptor)
    let sealed: EncryptedFileSecretStore | null = null
    if (encryptorReason === null) {
      try {
        sealed = new EncryptedFileSecretStore(opts.encryptor, opts.sealedFile)
      } catch (err) {
        encryptorReason = errorText(err) // it re-checks the encryptor, which may have changed its mind
      }
    }
    if (sealed !== null) {
      const backend = opts.encryptor.backendName?.()
      return {
        store: sealed,
        status: {
          backend: 'encrypted-file',
          persistent: true,
          message:
            `No OS keychain is available (${keychainReason}); keys are encrypted with the system's safe storage` +
            `${backend ? ` (${backend})` : ''} and kept in ${opts.sealedFile}.`,
        },
      }
    }
  }

  const also = encryptorReason === null ? '' : ` The system's safe storage cannot be used either: ${encryptorReason}.`
  return {
    store: new SessionSecretStore(),
    status: {
      backend: 'session',
      persistent: false,
      message:
        `No OS keychain is available (${keychainReason}); keys you add are kept for this session only ` +
        `and must be added again after a restart.${also} ${keepThemHint()}`,
    },
  }
}

function keepThemHint(): string {
  if (process.platform === 'darwin') return 'Unlock your login keychain to keep them.'
  if (process.platform === 'win32') return 'Make sure Windows Credential Manager is available to keep them.'
  return 'Install/unlock a Secret Service keyring (gnome-keyring, KWallet) to keep them.'
}

/**
 * Writes, reads back and deletes a throwaway entry. Only a full round trip counts: some
 * keychains accept a write and then fail or hang on the read (locked collection, no prompter).
 */
export async function probeKeychain(keytar: KeytarLike, serviceName: string, timeoutMs: number): Promise<ProbeResult> {
  const account = `__probe__${randomBytes(8).toString('hex')}`
  const value = randomBytes(16).toString('hex')
  const roundTrip = (async (): Promise<ProbeResult> => {
    await keytar.setPassword(serviceName, account, value)
    let readBack: string | null
    try {
      readBack = await keytar.getPassword(serviceName, account)
    } finally {
      await keytar.deletePassword(serviceName, account)
    }
    return readBack === value ? { ok: true } : { ok: false, reason: 'the keychain did not return what was written to it' }
  })()
  try {
    return await withDeadline(roundTrip, timeoutMs, 'the keychain')
  } catch (err) {
    // If the hung call completes later, remove whatever it may have left behind.
    const cleanUp = (): void => {
      keytar.deletePassword(serviceName, account).catch(() => undefined)
    }
    roundTrip.then(cleanUp, cleanUp)
    const reason = errorText(err)
    return { ok: false, reason: err instanceof DeadlineError ? `${reason}; it may be locked` : reason }
  }
}
