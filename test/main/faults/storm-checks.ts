/**
 * What the queue's rules say, checked against what the provider server saw during a storm. Each
 * check returns the breaches it found, in words (an empty list is a pass), so a failing storm
 * says which request broke which rule.
 */
import type { ErrorKind, JobView } from '../../../src/shared/api'
import { adviceFor } from '../../../src/main/core/providers/http/error-mapping'
import { isRetryable, TASK_RESUBMITS_PER_JOB, type RetryPolicy } from '../../../src/main/core/queue/retry-policy'
import type { Charge, Fault, LoggedRequest, ProviderId, TaskView } from '../../provider-server'
import { describeFault } from '../../provider-server/fault-queue'
import { roundUsd } from '../../provider-server/ledger'

export interface ProfileLimits {
  concurrency: number
  requestsPerMinute: number
}

export interface StormRecord {
  requests: readonly LoggedRequest[]
  tasks: readonly TaskView[]
  charges: Readonly<Record<ProviderId, readonly Charge[]>>
  jobs: readonly JobView[]
  limits: Readonly<Record<ProviderId, ProfileLimits>>
  /** The server's high-water mark of requests open at once, per provider. */
  peaks: Readonly<Record<ProviderId, number>>
}

/**
 * A request leaves the queue's limiter a moment before the server sees it (and a 429 reaches the
 * queue a moment after the server sent it). Loopback transit takes milliseconds; a second is
 * generous, so only a stalled engine, not a busy CI box, falls outside it.
 */
export const TRANSIT_MS = 1000
/** Timers and the two clocks (the engine's Date.now, the server's performance.now) differ by a few ms. */
export const TIMER_SLACK_MS = 50
const MINUTE_MS = 60_000

const isSubmission = (r: LoggedRequest) => r.route === 'generations' || r.route === 'edits'
const isApi = (r: LoggedRequest) => r.route !== null && r.route !== 'file'

/** What a fault makes of a call, as the rules in retry-policy.ts and error-mapping.ts say; null: not a failure. */
export function kindOfFault(fault: Fault): ErrorKind | null {
  if (typeof fault === 'object') {
    if (fault.status === 402) return 'billing'
    if (fault.status === 403) return 'auth'
    if (fault.status === 404) return 'input'
    if (fault.status === 429) return 'retryable'
    return 'provider_down'
  }
  switch (fault) {
    case 'slow':
    case 'task-stuck':
      return null
    case 'reset':
      return 'retryable'
    case 'content-policy':
      return 'content_policy'
    case 'insufficient-quota':
      return 'billing'
    case 'no-image-generated':
      return 'input'
    default:
      // html pages, unusable or empty payloads, failed tasks: the provider's trouble.
      return 'provider_down'
  }
}

/** Faults answered with the provider's error reply (whose message must carry the advice for its kind). */
function isErrorReply(fault: Fault): boolean {
  return typeof fault === 'object' || ['content-policy', 'insufficient-quota', 'no-image-generated'].includes(fault)
}

function promptOf(r: LoggedRequest): string | null {
  const value = r.body.kind === 'json' ? (r.body.value as { prompt?: unknown } | null) : null
  return typeof value?.prompt === 'string' ? value.prompt : null
}

/** Each job's API requests in arrival order (ToAPIs polls found through their task). */
export function requestsByJob(record: StormRecord): Map<string, LoggedRequest[]> {
  const jobByPrompt = new Map(record.jobs.map((j) => [j.prompt, j.id]))
  const seqPrompt = new Map(record.requests.map((r) => [r.seq, promptOf(r)]))
  const taskPrompt = new Map(record.tasks.map((t) => [t.id, seqPrompt.get(t.submittedBy) ?? t.prompt]))
  const out = new Map<string, LoggedRequest[]>(record.jobs.map((j) => [j.id, []]))
  for (const r of record.requests) {
    if (!isApi(r)) continue
    const prompt = r.route === 'poll' ? taskPrompt.get(decodeURIComponent(r.path.split('/').pop() ?? '')) : promptOf(r)
    const jobId = prompt ? jobByPrompt.get(prompt) : undefined
    if (jobId) out.get(jobId)!.push(r)
  }
  return out
}

export function checkConcurrency(record: StormRecord): string[] {
  return (Object.keys(record.limits) as ProviderId[])
    .filter((p) => record.peaks[p] > record.limits[p].concurrency)
    .map((p) => `${p}: ${record.peaks[p]} requests open at once, the profile allows ${record.limits[p].concurrency}`)
}

/** The most submissions (what the limiter paces) in any minute, less the transit allowance, and when. */
export function busiestMinute(record: StormRecord, provider: ProviderId): { count: number; at: number } {
  const starts = record.requests.filter((r) => r.provider === provider && isSubmission(r)).map((r) => r.receivedAt)
  let worst = { count: 0, at: 0 }
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (j < starts.length && starts[j]! - starts[i]! < MINUTE_MS - TRANSIT_MS) j++
    if (j - i > worst.count) worst = { count: j - i, at: starts[i]! }
  }
  return worst
}

export function checkRequestsPerMinute(record: StormRecord): string[] {
  return (Object.keys(record.limits) as ProviderId[]).flatMap((provider) => {
    const limit = record.limits[provider].requestsPerMinute
    const worst = busiestMinute(record, provider)
    return worst.count > limit ? [`${provider}: ${worst.count} submissions within a minute from t=${Math.round(worst.at)} ms, limit ${limit}`] : []
  })
}

/** After a 429 with Retry-After, that job waits the whole time and the rest of the provider's traffic holds too. */
export function checkRetryAfter(record: StormRecord): string[] {
  const breaches: string[] = []
  const byJob = requestsByJob(record)
  const jobOfSeq = new Map<number, string>()
  for (const [job, list] of byJob) for (const r of list) jobOfSeq.set(r.seq, job)
  for (const r of record.requests) {
    const seconds = typeof r.fault === 'object' && r.fault?.status === 429 ? r.fault.retryAfterSeconds : undefined
    if (seconds === undefined || r.endedAt === null || r.status !== 429 || !isApi(r)) continue
    const until = r.endedAt + seconds * 1000
    const job = jobOfSeq.get(r.seq)
    const next = job ? byJob.get(job)!.find((x) => x.seq > r.seq) : undefined
    if (next && next.receivedAt < until - TIMER_SLACK_MS) {
      breaches.push(`${r.provider} #${r.seq} (${r.route}): asked for ${seconds} s, the same job came back after ${Math.round(next.receivedAt - r.endedAt)} ms (#${next.seq} ${next.route})`)
    }
    for (const other of record.requests) {
      if (other.provider !== r.provider || !isApi(other) || other === next) continue
      if (other.receivedAt > r.endedAt + TRANSIT_MS && other.receivedAt < until - TIMER_SLACK_MS) {
        breaches.push(`${r.provider} #${r.seq} (${r.route}): asked for ${seconds} s, #${other.seq} (${other.route}) came ${Math.round(other.receivedAt - r.endedAt)} ms later`)
      }
    }
  }
  return breaches
}

/**
 * Between two attempts of a job the queue waits at least the backoff's floor (jitter only adds to
 * the upper half): attempt k waits at least base * 2^(k-1) / 2, capped like the policy caps it.
 * ToAPIs is left out: its attempts poll a task the first one submitted.
 */
export function checkBackoff(record: StormRecord, policy: RetryPolicy): string[] {
  const breaches: string[] = []
  for (const [jobId, mine] of requestsByJob(record)) {
    const job = record.jobs.find((j) => j.id === jobId)!
    if (job.provider === 'toapis') continue
    const submissions = mine.filter(isSubmission)
    for (let k = 1; k < submissions.length; k++) {
      const failed = submissions[k - 1]!
      const floor = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (k - 1)) / 2
      // From the failed call's arrival: the queue cannot have learnt of the failure any earlier.
      const gap = submissions[k]!.receivedAt - failed.receivedAt
      if (gap < floor - TIMER_SLACK_MS) breaches.push(`${job.provider} "${job.prompt}": attempt ${k + 1} came ${Math.round(gap)} ms after attempt ${k} failed, backoff floor ${floor} ms`)
    }
  }
  return breaches
}

/**
 * Every job ends succeeded or failed; a failure has the kind its last fault calls for and a message
 * that says what to do; retryable kinds used every attempt, the others none after the first.
 */
export function checkOutcomes(record: StormRecord): string[] {
  const breaches: string[] = []
  const byJob = requestsByJob(record)
  for (const job of record.jobs) {
    const mine = byJob.get(job.id) ?? []
    const where = `${job.provider} "${job.prompt}"`
    if (job.status !== 'succeeded' && job.status !== 'failed') {
      breaches.push(`${where} ended ${job.status}`)
      continue
    }
    if (job.attempts > job.maxAttempts) breaches.push(`${where}: ${job.attempts} attempts, bound ${job.maxAttempts}`)
    const final = mine.findIndex((r) => r.fault !== null && isFinal(r.fault))
    if (final >= 0 && final < mine.length - 1) {
      const r = mine[final]!
      breaches.push(`${where}: retried after ${describeFault(r.fault!)} (#${r.seq}), which is not retryable`)
    }
    if (job.provider !== 'toapis' && mine.filter(isSubmission).length !== job.attempts) {
      breaches.push(`${where}: ${mine.filter(isSubmission).length} submissions for ${job.attempts} attempts`)
    }
    // A task failed upstream may be billed: resubmitted once per job on its own, never more.
    const failedTasks = mine.filter((r) => isSubmission(r) && r.fault === 'task-failed').length
    if (failedTasks > TASK_RESUBMITS_PER_JOB + 1) breaches.push(`${where}: ${failedTasks} tasks failed upstream; at most one resubmission is allowed`)
    // Fewer is possible (the job gave up polling before the task ended); more never is.
    if ((job.failedTasks?.count ?? 0) > failedTasks) breaches.push(`${where}: ${failedTasks} tasks failed upstream, the job counts ${job.failedTasks?.count}`)
    const last = mine.at(-1)
    const lastKind = last?.fault ? kindOfFault(last.fault) : null
    if (job.status === 'succeeded') {
      if (job.imageIds.length !== job.n) breaches.push(`${where}: succeeded with ${job.imageIds.length} of ${job.n} images`)
      if (lastKind !== null) breaches.push(`${where}: succeeded although its last request met ${describeFault(last!.fault!)}`)
      continue
    }
    const error = job.error
    if (!error || error.message.trim() === '') {
      breaches.push(`${where}: failed without an error message`)
      continue
    }
    if (lastKind !== null) {
      // The last API request failed: its fault decides the kind.
      if (error.kind !== lastKind) breaches.push(`${where}: ${describeFault(last!.fault!)} gave kind ${error.kind}, expected ${lastKind} (${error.message})`)
      if (isErrorReply(last!.fault!) && !error.message.includes(adviceFor(lastKind))) {
        breaches.push(`${where}: the message for ${describeFault(last!.fault!)} does not say what to do: ${error.message}`)
      }
    } else if (!isRetryable(error.kind)) {
      // Otherwise the image itself (a download, a broken file) failed: always the provider's trouble.
      breaches.push(`${where}: failed as ${error.kind} although no request of its met a final fault (${error.message})`)
    }
    // After its one resubmission a job whose task failed upstream again stops: Retry is the user's.
    const resubmittedOnce = error.code === 'task_failed' && (job.failedTasks?.resubmitted ?? 0) >= TASK_RESUBMITS_PER_JOB
    if (isRetryable(error.kind) && job.attempts !== job.maxAttempts && !resubmittedOnce) {
      breaches.push(`${where}: gave up on a ${error.kind} failure after ${job.attempts} of ${job.maxAttempts} attempts`)
    }
  }
  return breaches
}

function isFinal(fault: Fault): boolean {
  const kind = kindOfFault(fault)
  return kind !== null && !isRetryable(kind)
}

/** Why a provider billed for an image the job never kept. */
export type ExtraCharge = 'reply cut off or unusable' | 'submit reply lost, task ran anyway' | 'image link failed' | 'good reply not kept'

export interface BillingReport {
  breaches: string[]
  perProvider: Record<string, { billedImages: number; keptImages: number; billedUsd: number; keptUsd: number; extra: Partial<Record<ExtraCharge, number>> }>
}

/** What the server billed against what the jobs recorded as charged, job by job. */
export function checkBilling(record: StormRecord): BillingReport {
  const breaches: string[] = []
  const perProvider: BillingReport['perProvider'] = {}
  const byJob = requestsByJob(record)
  const allCharges = Object.values(record.charges).flat()
  for (const job of record.jobs) {
    const mine = byJob.get(job.id) ?? []
    const seqs = new Set(mine.map((r) => r.seq))
    const taskIds = new Set(record.tasks.filter((t) => seqs.has(t.submittedBy)).map((t) => t.id))
    const charges = allCharges.filter((c) => (c.taskId ? taskIds.has(c.taskId) : seqs.has(c.requestSeq)))
    const billed = charges.reduce((n, c) => n + c.images, 0)
    const kept = job.imageIds.length
    const where = `${job.provider} "${job.prompt}"`
    const row = (perProvider[job.provider] ??= { billedImages: 0, keptImages: 0, billedUsd: 0, keptUsd: 0, extra: {} })
    row.billedImages += billed
    row.keptImages += kept
    row.billedUsd = roundUsd(row.billedUsd + charges.reduce((s, c) => s + (c.usd ?? 0), 0))
    row.keptUsd = roundUsd(row.keptUsd + (job.chargedCost ?? 0))
    if (kept > billed) breaches.push(`${where}: kept ${kept} images, the provider billed ${billed}`)
    if (job.status === 'failed' && (job.chargedCost ?? 0) !== 0) breaches.push(`${where}: failed yet recorded ${job.chargedCost} charged`)
    if (job.status === 'succeeded') {
      // The charge that paid for the kept image: the job's last billed call.
      const paid = charges.at(-1)
      if (!paid) {
        breaches.push(`${where}: succeeded with no charge at the provider`)
        continue
      }
      if (paid.usd === null && paid.tokens !== undefined) {
        // Billed in tokens (OpenAI): the job records the tokens of the call that paid, priced by them.
        if (job.chargeBasis !== 'tokens' || job.usage?.totalTokens !== paid.tokens || !(job.chargedCost! > 0)) {
          breaches.push(`${where}: recorded ${job.chargedCost} charged from ${job.usage?.totalTokens ?? 'no'} tokens (${job.chargeBasis}), the provider billed ${paid.tokens} tokens`)
        }
      } else {
        const expected = paid.usd ?? job.estimatedCost
        if (job.chargedCost !== expected) breaches.push(`${where}: recorded ${job.chargedCost} charged, the provider billed ${paid.usd ?? `(no amount; table ${job.estimatedCost})`}`)
      }
    }
    const unpaidFor = job.status === 'succeeded' ? charges.slice(0, -1) : charges
    for (const c of unpaidFor) {
      const why = extraChargeReason(c, mine, record)
      row.extra[why] = (row.extra[why] ?? 0) + c.images
      // The provider delivered a whole image in its reply and the engine dropped it: that is ours.
      if (why === 'good reply not kept') breaches.push(`${where}: billed call #${c.requestSeq} answered a usable image that was not kept`)
    }
  }
  return { breaches, perProvider }
}

function extraChargeReason(charge: Charge, mine: readonly LoggedRequest[], record: StormRecord): ExtraCharge {
  const task = charge.taskId ? record.tasks.find((t) => t.id === charge.taskId) : undefined
  const billedBy = mine.find((r) => r.seq === (task ? task.submittedBy : charge.requestSeq))
  if (task && billedBy?.reset) return 'submit reply lost, task ran anyway'
  const fault = billedBy?.fault
  if (fault === 'reset' || fault === 'truncated-base64' || fault === 'invalid-base64' || fault === 'not-an-image') return 'reply cut off or unusable'
  const deliversLinks = record.requests.some((r) => r.provider === charge.provider && r.route === 'file')
  return task || deliversLinks ? 'image link failed' : 'good reply not kept'
}
