import type { KeyCheckResult } from '../../../shared/api'
import type { Clock } from '../clock'
import { ProviderError } from './provider-error'
import { send } from './http/provider-http'
import type { ProviderProfile } from './profile'
import { redactSecret } from '../secrets/redact-secret'

/**
 * Tells whether a key works without spending anything: only profiles whose API documents a free,
 * authenticated call (`keyCheck`) are asked. For the others the answer says so, instead of
 * making a paid generation behind the user's back.
 */
export async function checkKey(
  profile: ProviderProfile,
  secret: string,
  deps: { fetch: typeof fetch; clock: Clock; timeoutMs?: number },
): Promise<KeyCheckResult> {
  if (!profile.keyCheck) {
    return {
      outcome: 'no_free_check',
      message: `${profile.name} offers no free way to check a key. The first generation will show whether it works, and it is billed as usual.`,
    }
  }
  const call = { profile, baseUrl: profile.baseUrl, secret, signal: new AbortController().signal, clock: deps.clock, fetch: deps.fetch }
  try {
    const res = await send(call, { method: 'GET', path: profile.keyCheck.path, timeoutMs: deps.timeoutMs ?? 20_000 })
    await res.body?.cancel()
    return { outcome: 'valid', message: `${profile.name} accepted the key (a free check; nothing was charged).` }
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err
    // The reply may quote the key it was sent; the answer goes to the window.
    const said = redactSecret(err.message, secret)
    if (err.kind === 'auth') return { outcome: 'rejected', message: `${profile.name} refused the key: ${said}` }
    if (err.kind === 'billing') {
      return { outcome: 'valid', message: `${profile.name} knows the key, but says the account cannot pay: ${said}` }
    }
    return { outcome: 'unreachable', message: `The check did not get an answer about the key: ${said}` }
  }
}
