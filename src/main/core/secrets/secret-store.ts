/**
 * Where key secrets live. Only the main process holds a SecretStore; nothing it returns may be
 * sent to a renderer. Metadata (label, provider, last4) is kept elsewhere, see key-vault.ts.
 */
import type { SecretBackend } from '../../../shared/api/keys'

export interface SecretStore {
  readonly backend: SecretBackend
  /** False when keys are lost on restart (the session store). */
  readonly persistent: boolean
  /** Stores or replaces the secret for `account` (a key id: an opaque string). */
  set(account: string, secret: string): Promise<void>
  /** The secret, or null when there is none. Throws ApiError('unavailable') when the backend fails. */
  get(account: string): Promise<string | null>
  /** True when an entry existed and was removed. */
  delete(account: string): Promise<boolean>
}
