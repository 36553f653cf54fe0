import type { ErrorKind } from '../../../shared/api'

/**
 * When to try a failed call again. Only kinds that are safe to repeat are retried (network
 * trouble, rate limits, provider outages); input, auth, billing and policy failures never are.
 */
export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 }

/**
 * A task the provider failed upstream (ToAPIs `generation_failed`) may be billed although it made
 * nothing, so the queue sends it again on its own once per job, not up to `maxAttempts` times: a
 * second failure ends the job, and any further try is the user's Retry. Counted with the job in the
 * database, so restarts and crash recovery share the one resubmission.
 */
export const TASK_RESUBMITS_PER_JOB = 1

const RETRYABLE: ReadonlySet<ErrorKind> = new Set(['retryable', 'provider_down'])

export function isRetryable(kind: ErrorKind): boolean {
  return RETRYABLE.has(kind)
}

/**
 * Exponential backoff (1 s, 2 s, 4 s, ... for the default policy) with full jitter in the upper
 * half, so many jobs failing together do not come back together; a provider's Retry-After wins
 * when it asks for longer.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  const jittered = exp / 2 + random() * (exp / 2)
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxDelayMs * 10)))
}
