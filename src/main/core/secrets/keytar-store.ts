/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Manager, Secret Service on
 * Linux). keytar is a native CommonJS module that may be missing or fail to load; it is only
 * loaded inside `tryLoadKeytar`, so a broken keytar degrades to another store instead of
 * crashing the engine at import.
 */
import { createRequire } from 'node:module'
import { ApiError } from '../../../shared/api/errors'
import { withDeadline } from './deadline'
import { errorText } from './encryptor'
import type { SecretStore } from './secret-store'

/** The service name every Proofsheet key is filed under in the keychain. */
export const KEYCHAIN_SERVICE = 'Proofsheet'

/** The part of keytar this module uses; the real module satisfies it, tests can pass a fake. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export type KeytarLoad = { keytar: KeytarLike; reason?: undefined } | { keytar: null; reason: string }

let loaded: KeytarLoad | undefined

/** Loads keytar once; on failure says why (shown to the user in the keychain status). */
export function tryLoadKeytar(): KeytarLoad {
  if (loaded) return loaded
  try {
    const mod: unknown = createRequire(import.meta.url)('keytar')
    loaded = isKeytarLike(mod)
      ? { keytar: mod }
      : { keytar: null, reason: 'the keychain module (keytar) has an unexpected shape' }
  } catch (err) {
    loaded = { keytar: null, reason: `the keychain module (keytar) could not be loaded: ${errorText(err)}` }
  }
  return loaded
}

export function loadKeytar(): KeytarLike | null {
  return tryLoadKeytar().keytar
}

function isKeytarLike(mod: unknown): mod is KeytarLike {
  if (typeof mod !== 'object' || mod === null) return false
  const m = mod as Record<string, unknown>
  return (
    typeof m['getPassword'] === 'function' &&
    typeof m['setPassword'] === 'function' &&
    typeof m['deletePassword'] === 'function'
  )
}

export interface KeytarSecretStoreOptions {
  /** Keychain service name; tests use a unique one so they never touch real keys. */
  serviceName?: string
  /**
   * How long one keychain call may take before it fails as unavailable. Long enough for a person
   * to answer an unlock prompt, short enough that a hung keychain does not hang the app.
   */
  timeoutMs?: number
}

export class KeytarSecretStore implements SecretStore {
  readonly backend = 'keychain' as const
  readonly persistent = true
  readonly serviceName: string
  readonly #keytar: KeytarLike
  readonly #timeoutMs: number

  constructor(keytar: KeytarLike, options: KeytarSecretStoreOptions = {}) {
    this.#keytar = keytar
    this.serviceName = options.serviceName ?? KEYCHAIN_SERVICE
    this.#timeoutMs = options.timeoutMs ?? 60_000
  }

  set(account: string, secret: string): Promise<void> {
    return this.#call('store', () => this.#keytar.setPassword(this.serviceName, account, secret))
  }

  get(account: string): Promise<string | null> {
    return this.#call('read', () => this.#keytar.getPassword(this.serviceName, account))
  }

  delete(account: string): Promise<boolean> {
    return this.#call('delete', () => this.#keytar.deletePassword(this.serviceName, account))
  }

  async #call<T>(verb: string, op: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(Promise.resolve().then(op), this.#timeoutMs, 'The OS keychain')
    } catch (err) {
      // The secret is never part of the message: keytar errors carry only the backend's text.
      throw new ApiError('unavailable', `Could not ${verb} the key in the OS keychain: ${errorText(err)}.`, {
        fix: 'Unlock the OS keychain (or start a Secret Service keyring such as gnome-keyring or KWallet) and try again.',
      })
    }
  }
}
