import type { JobView } from '../api'

type Money = (amount: number | null, currency: string) => string
type Charged = Pick<JobView, 'chargedCost' | 'estimatedCost' | 'currency' | 'usage' | 'chargeBasis'>

/**
 * A charge computed from the provider's token usage, beside the list-price estimate it replaces:
 * "charged $0.0412 from 20 input + 1,234 output tokens · list $0.042". Null for any other charge
 * (the list price, or the provider's own figure), which the doors word as they always have.
 * `money` is the door's own formatter, so the amounts look like the rest of that door.
 */
export function tokenChargeText(job: Charged, money: Money): string | null {
  if (job.chargeBasis !== 'tokens' || job.chargedCost === null || !job.usage || job.usage.outputTokens === null) return null
  const count = (n: number) => n.toLocaleString('en-US')
  const output = `${count(job.usage.outputTokens)} output tokens`
  const input = job.usage.inputTokens ? `${count(job.usage.inputTokens)} input + ` : ''
  const list = job.estimatedCost === null ? 'no list price' : `list ${money(job.estimatedCost, job.currency)}`
  return `charged ${money(job.chargedCost, job.currency)} from ${input}${output} · ${list}`
}
