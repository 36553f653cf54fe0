/**
 * What the vault needs from the database: one row per key, never the secret. The SQLite
 * implementation lives in the store (which knows nothing of this interface: the store sits below
 * the services, so the engine's wiring is where the two are checked to fit); tests use an
 * in-memory one.
 */
import type { SecretBackend } from '../../../shared/api/keys'
import type { KeyRecord } from '../store/records'

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
