/**
 * What the vault needs from the database: one row per key, never the secret. The SQLite
 * implementation lives in the store; tests use an in-memory one.
 */
import type { SecretBackend } from '../../../shared/api/keys'

export interface KeyRecord {
  id: string
  provider: string
  label: string
  last4: string
  /** Where the secret was put when the key was added. */
  backend: SecretBackend
  createdAt: number
  /**
   * The host+port (see key-endpoint.ts) of the provider's base URL when the key was entered: the
   * only place the key is sent. Null when unknown; such a key is sent nowhere until entered again.
   */
  host: string | null
}

export interface KeyMetadataStore {
  /** Throws if the id exists (or, if the store enforces it, the provider+label pair). */
  insert(k: KeyRecord): void
  list(): KeyRecord[]
  get(id: string): KeyRecord | undefined
  /** True when a row was removed. */
  remove(id: string): boolean
  /** After a rotation: the new secret's last digits, where it is kept, and (when given) the host it is now entered for. */
  updateSecretInfo(id: string, info: { last4: string; backend: SecretBackend; host?: string | null }): void
  findByLabel(provider: string, label: string): KeyRecord | undefined
}
