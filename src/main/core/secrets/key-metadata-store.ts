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
}

export interface KeyMetadataStore {
  /** Throws if the id exists (or, if the store enforces it, the provider+label pair). */
  insert(k: KeyRecord): void
  list(): KeyRecord[]
  get(id: string): KeyRecord | undefined
  /** True when a row was removed. */
  remove(id: string): boolean
  /** After a rotation: the new secret's last digits and where it is kept. */
  updateSecretInfo(id: string, info: { last4: string; backend: SecretBackend }): void
  findByLabel(provider: string, label: string): KeyRecord | undefined
}
