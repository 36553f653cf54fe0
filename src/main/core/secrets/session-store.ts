/**
 * The last resort when neither a keychain nor real encryption exists: keys live in this
 * process's memory and are gone after a restart. Never replace this with a file.
 */
import type { SecretStore } from './secret-store'

export class SessionSecretStore implements SecretStore {
  readonly backend = 'session' as const
  readonly persistent = false
  readonly #secrets = new Map<string, string>()

  async set(account: string, secret: string): Promise<void> {
    this.#secrets.set(account, secret)
  }

  async get(account: string): Promise<string | null> {
    return this.#secrets.get(account) ?? null
  }

  async delete(account: string): Promise<boolean> {
    return this.#secrets.delete(account)
  }
}
