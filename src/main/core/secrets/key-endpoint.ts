/**
 * A stored key is bound to the endpoint it was entered for: whoever can queue a job (a window, a
 * bridge token, a script) may choose a base URL, but must not be able to send a stored key to a
 * server of their choosing with it. Callers check with `keyEndpointProblem` before a key is
 * queued for a base URL and again right before it is sent; never skip the second check.
 *
 * The unit is host+port (`URL.host`: the hostname, plus the port when it is not the scheme's
 * default). Another path on the same host+port is the same server and operator, so versioned
 * paths (/v1 → /v2) keep working. Another port is not: one hostname often serves unrelated
 * programs on different ports (127.0.0.1 above all), so a port change needs the key again.
 */
import { endpointHostOf } from '../../../shared/api/keys'
import { quotedList, type Remedy } from '../../../shared/api/remedy'
import { pluralWord } from '../../../shared/format/plural'

export interface BoundKey {
  label: string
  provider: string
  /** The host+port the key was stored for; null when unknown (a key whose provider was gone when hosts were first recorded). */
  host: string | null
}

export interface KeyEndpointProblem {
  message: string
  remedy: Extract<Remedy, { code: 'key_for_host' }>
}

/**
 * Why `key` may not go to `baseUrl`, or null when it may. The wording names hosts only, never a
 * whole URL (which could carry credentials) and never the key.
 */
export function keyEndpointProblem(key: BoundKey, baseUrl: string, options: { perJob?: boolean } = {}): KeyEndpointProblem | null {
  const target = endpointHostOf(baseUrl)
  if (target !== null && key.host !== null && key.host === target) return null
  const host = target ?? 'that base URL'
  const where = options.perJob ? `${host}, the base URL given for this job` : host
  const storedFor = key.host === null ? 'no known host' : key.host
  return {
    message: `The stored key "${key.label}" (${key.provider}) was entered for ${storedFor} and is not sent to ${where}: a stored key only goes to the host it was stored for.`,
    remedy: { code: 'key_for_host', provider: key.provider, host, perJob: options.perJob === true },
  }
}

/**
 * After a profile's base URL changed: which of its stored keys it can no longer use, said so the
 * person changing it knows at once (not only when a job is refused). Null when none.
 */
export function keysLeftBehind(
  profile: { id: string; name: string; baseUrl: string },
  keys: readonly (BoundKey & { id?: string })[],
): { message: string; remedy: Extract<Remedy, { code: 'reenter_keys' }> } | null {
  const host = endpointHostOf(profile.baseUrl)
  const stranded = keys.filter((k) => k.provider === profile.id && k.host !== host)
  if (stranded.length === 0) return null
  const labels = stranded.map((k) => k.label)
  const one = stranded.length === 1
  return {
    message: `${profile.name} now sends to ${host ?? 'a new address'}. Its stored ${pluralWord(stranded.length, 'key', 'keys')} ${quotedList(labels)} ${one ? 'was' : 'were'} entered for another host and will not be sent there.`,
    remedy: { code: 'reenter_keys', provider: profile.id, labels },
  }
}
