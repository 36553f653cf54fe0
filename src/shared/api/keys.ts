import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { route } from './route'

export const SecretBackend = onFirstUse(() => z.enum(['keychain', 'encrypted-file', 'session']))
export type SecretBackend = z.infer<typeof SecretBackend>

/** Everything about a key that may leave the main process. Never the secret itself. */
export const KeyInfo = onFirstUse(() => z.object({
  id: z.string(),
  provider: z.string(),
  label: z.string(),
  last4: z.string(),
  backend: SecretBackend,
  createdAt: z.number(),
  available: z.boolean(),
  /** The host+port the key may be sent to (its provider's, when it was entered); null when unknown. */
  host: z.string().nullable().optional(),
}))
export type KeyInfo = z.infer<typeof KeyInfo>

/**
 * What `KeyInfo.host` holds: the host+port a base URL sends to (`URL.host`, lowercased), or null
 * when the text is not a URL. Here beside the field, so the store's migrations and the engine's
 * key binding (main/core/secrets/key-endpoint.ts) read a URL the same way.
 */
export function endpointHostOf(baseUrl: string): string | null {
  try {
    const host = new URL(baseUrl).host.toLowerCase()
    return host || null
  } catch {
    return null
  }
}

export const KeychainStatus = onFirstUse(() => z.object({
  backend: SecretBackend,
  persistent: z.boolean(),
  message: z.string(),
}))
export type KeychainStatus = z.infer<typeof KeychainStatus>

/** The answer to a free key check. `no_free_check`: the provider has none, so nothing was sent. */
export const KeyCheckResult = onFirstUse(() => z.object({
  outcome: z.enum(['valid', 'rejected', 'unreachable', 'no_free_check']),
  message: z.string(),
}))
export type KeyCheckResult = z.infer<typeof KeyCheckResult>

const KeyId = onFirstUse(() => z.object({ id: z.string().min(1) }).strict())
/** Longest key label: the contract refuses more, the Keys form's field takes no more. */
export const KEY_LABEL_MAX = 80

const Secret = onFirstUse(() => z.string().trim().min(8, 'that key is too short to be real').max(4096))

export const keyRoutes = onFirstUse(() => ({
  'keys.list': route(z.object({}).strict(), z.object({ keys: z.array(KeyInfo), status: KeychainStatus })),
  'keys.add': route(
    z
      .object({
        provider: z.string().min(1),
        label: z.string().trim().min(1, 'label is empty').max(KEY_LABEL_MAX),
        secret: Secret,
      })
      .strict(),
    KeyInfo,
  ),
  'keys.remove': route(KeyId, z.object({ removed: z.boolean() })),
  /** New secret, same key: jobs that name the key pay with the new secret. */
  'keys.rotate': route(z.object({ id: z.string().min(1), secret: Secret }).strict(), KeyInfo),
  /** Checks the key with the provider, only where that is free. */
  'keys.test': route(KeyId, KeyCheckResult),
} as const))
