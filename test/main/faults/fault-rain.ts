/**
 * The storm's faults: for each request the provider server accepts, a seeded draw decides whether
 * it fails and how. Faults come off a shuffled deck per provider and route, so every fault a
 * provider can produce turns up within a few dozen requests instead of by luck.
 */
import type { Fault, FaultSource, InjectOptions, ProviderId, ProviderServer, RouteName } from '../../provider-server'
import { describeFault } from '../../provider-server/fault-queue'
import type { SeededRandom } from '../../helpers/seeded-random'

export interface FaultRainOptions {
  random: SeededRandom
  /** Share of API requests that get a fault. */
  apiShare: number
  /** Share of image downloads that get one (links are fetched once per result, so fewer). */
  fileShare: number
}

export interface FaultRain {
  source: FaultSource
  /** How often each fault was served, per provider (`describeFault` names; `download ...` on image links). */
  served(): Record<string, Record<string, number>>
}

export function faultRain(server: ProviderServer, options: FaultRainOptions): FaultRain {
  const { random } = options
  const decks = new Map<string, Fault[]>()
  const served: Record<string, Record<string, number>> = {}
  const draw = (provider: ProviderId, route: RouteName): Fault | null => {
    const key = `${provider}:${route}`
    let deck = decks.get(key)
    if (!deck || deck.length === 0) {
      deck = random.shuffled(server.possibleFaults(provider, route))
      decks.set(key, deck)
    }
    return deck.pop() ?? null
  }
  const source: FaultSource = ({ provider, route }) => {
    if (random.next() >= (route === 'file' ? options.fileShare : options.apiShare)) return null
    const fault = draw(provider, route)
    if (!fault) return null
    const { fault: shaped, options: extra } = shape(random, fault, route)
    const retryAfter = typeof shaped === 'object' && 'retryAfterSeconds' in shaped ? ' + Retry-After' : ''
    const name = `${route === 'file' ? 'download ' : ''}${describeFault(shaped)}${retryAfter}`
    served[provider] ??= {}
    served[provider][name] = (served[provider][name] ?? 0) + 1
    return { fault: shaped, options: extra }
  }
  return { source, served: () => structuredClone(served) }
}

/**
 * Adds the details a fault can carry: most 429s from the API say when to come back (an image
 * link's host is a CDN, not the API, so its 429s do not); slow replies and stuck tasks vary.
 */
function shape(random: SeededRandom, fault: Fault, route: RouteName): { fault: Fault; options: Omit<InjectOptions, 'times' | 'on'> } {
  if (typeof fault === 'object' && fault.status === 429 && route !== 'file' && random.next() < 0.75) {
    return { fault: { status: 429, retryAfterSeconds: random.int(1, 4) }, options: {} }
  }
  if (fault === 'slow') return { fault, options: { delayMs: random.int(200, 1500) } }
  if (fault === 'task-stuck') return { fault, options: { polls: random.int(1, 4) } }
  return { fault, options: {} }
}
