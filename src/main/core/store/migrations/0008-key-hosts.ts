import { endpointHostOf } from '../../../../shared/api/keys'
import type { Migration } from './types'

/**
 * The base URL each shipped profile had when this migration was written. A migration is a
 * snapshot: it must give the same rows whatever later releases change in the profiles (a moved
 * endpoint must not re-bind keys entered for the old one), and the store does not import the
 * providers above it.
 */
const SHIPPED_BASE_URLS: ReadonlyMap<string, string> = new Map([
  ['gettoken', 'https://api.gettoken.dev/image/v1'],
  ['toapis', 'https://toapis.com/v1'],
  ['tokenhub', 'https://tokenhub.store/api/v1'],
  ['getimg', 'https://api.getimg.ai/v2'],
  ['tokensmart', 'https://api.tokensmart.ai/v1'],
  ['openai', 'https://api.openai.com/v1'],
])

/**
 * A stored key remembers the host+port it may be sent to (see secrets/key-endpoint.ts). Keys that
 * exist already get the host their provider pointed at then: the saved override or custom profile
 * if there is one, else the shipped profile. A key whose provider is gone keeps null, which sends
 * it nowhere until it is entered again.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'key-hosts',
  up(db) {
    db.exec('ALTER TABLE keys ADD COLUMN host TEXT')
    const saved = new Map<string, string>()
    for (const row of db.prepare('SELECT id, data FROM provider_profiles').all() as { id: string; data: string }[]) {
      const baseUrl = savedBaseUrl(row.data)
      if (baseUrl) saved.set(row.id, baseUrl)
    }
    const setHost = db.prepare('UPDATE keys SET host = ? WHERE id = ?')
    for (const key of db.prepare('SELECT id, provider FROM keys').all() as { id: string; provider: string }[]) {
      const baseUrl = saved.get(key.provider) ?? SHIPPED_BASE_URLS.get(key.provider)
      setHost.run(baseUrl ? endpointHostOf(baseUrl) : null, key.id)
    }
  },
}

/** The base URL a saved profile row sets, if it sets one (an override may leave it as shipped). */
function savedBaseUrl(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { baseUrl?: unknown }
    return typeof parsed.baseUrl === 'string' ? parsed.baseUrl : null
  } catch {
    return null
  }
}
