import type { KeychainStatus, SecretBackend } from '../../../../shared/api'

/**
 * Where API keys are kept, in words, from what the engine says (keys.list's status, a key's
 * backend). Every place that mentions it (the Keys banner, the secret field's hint, the message
 * after adding a key, the Generate form's "needs a key" notice) reads it from here, so they
 * cannot disagree with each other or with the truth.
 */

/** A short label for a key's row: "OS keychain". */
export const BACKEND_LABELS: Readonly<Record<SecretBackend, string>> = {
  keychain: 'OS keychain',
  'encrypted-file': 'Encrypted file',
  session: 'This session only',
}

/** Completes "Added "Autumn" (····1234), …": where this key now lives, and what that means. */
export function keptIn(backend: SecretBackend): string {
  switch (backend) {
    case 'keychain':
      return 'kept in the OS keychain'
    case 'encrypted-file':
      return 'kept in an encrypted file on this computer (there is no OS keychain)'
    case 'session':
      return 'kept for this session only: there is no OS keychain, so add it again after a restart'
  }
}

/** Where a removed key's secret is deleted from: "the OS keychain". */
export function backendPlace(backend: SecretBackend): string {
  switch (backend) {
    case 'keychain':
      return 'the OS keychain'
    case 'encrypted-file':
      return 'the encrypted key file'
    case 'session':
      return "this session's memory"
  }
}

/** One sentence for a secret field: where a key typed here will go. Null while that is unknown. */
export function storageHint(status: KeychainStatus | null): string | null {
  if (!status) return null
  switch (status.backend) {
    case 'keychain':
      return 'Stored in the OS keychain; Proofsheet shows only its last four characters from now on.'
    case 'encrypted-file':
      return 'Stored encrypted in a file on this computer, since there is no OS keychain; Proofsheet shows only its last four characters from now on.'
    case 'session':
      return 'Kept for this session only, since there is no OS keychain: add it again after a restart. Proofsheet shows only its last four characters.'
  }
}
