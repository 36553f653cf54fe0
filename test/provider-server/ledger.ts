/**
 * What the fake providers billed. A charge is written where the real provider would take the
 * money (a sync call that produced images, a ToAPIs task that completed), never for a refusal,
 * so a test can prove a client did not pay twice for one picture.
 */
import { PROVIDER_IDS, type BilledSummary, type Charge, type ProviderId } from './types'

export class Ledger {
  private entries: Charge[] = []

  add(charge: Charge): void {
    this.entries.push(charge)
  }

  byProvider(): Record<ProviderId, readonly Charge[]> {
    const out = Object.fromEntries(PROVIDER_IDS.map((id) => [id, [] as Charge[]])) as Record<ProviderId, Charge[]>
    for (const charge of this.entries) out[charge.provider].push({ ...charge })
    return out
  }

  summary(provider: ProviderId): BilledSummary {
    const mine = this.entries.filter((c) => c.provider === provider)
    return {
      charges: mine.length,
      images: mine.reduce((sum, c) => sum + c.images, 0),
      usd: roundUsd(mine.reduce((sum, c) => sum + (c.usd ?? 0), 0)),
      tokens: mine.reduce((sum, c) => sum + (c.tokens ?? 0), 0),
    }
  }

  clear(): void {
    this.entries = []
  }
}

/** Dollar sums without binary-fraction noise (0.06 * 3 = 0.18, not 0.18000000000000002). */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
