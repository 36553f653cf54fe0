import { CANCELABLE_STATUSES, formatAmount, RETRY_FAILED_STATUSES, roundMoney, type JobView } from '../api'
import { plural } from '../format/plural'
import { isActive } from './work-progress'

/**
 * One generation's jobs (same batchId) as a whole: counts, money and whether it has finished.
 * Shared by the Queue's group header, the browser notification and the Electron notification.
 */

export interface BatchSummary {
  total: number
  /** Distinct sizes among the jobs. */
  sizes: number
  /** Rows of a CSV batch (by row number, else by prompt): 1 for one prompt at several sizes. */
  rows: number
  succeeded: number
  failed: number
  canceled: number
  /** Queued, running, interrupted or held: not finished yet. */
  remaining: number
  /** Of the remaining, jobs a budget holds back. */
  held: number
  /** Failed or interrupted: what "Retry failed" brings back. */
  retryable: number
  /** Queued or running jobs that "Cancel the rest" stops. */
  cancelable: number
  /** Sum of the estimates; null when any job has no price. */
  estimated: number | null
  /** Sum of what is known to have been charged. */
  charged: number
  /** Succeeded jobs whose charge the provider did not report and no price table gave. */
  chargeUnknown: number
  currency: string
  /** The prompt when every job shares it (one prompt at several sizes), else null. */
  prompt: string | null
}

export function summarizeBatch(jobs: readonly JobView[]): BatchSummary {
  const count = (test: (job: JobView) => boolean): number => jobs.filter(test).length
  const prompts = new Set(jobs.map((j) => j.prompt))
  const unpriced = jobs.some((j) => j.estimatedCost === null)
  const rowNumbers = new Set(jobs.map((j) => j.batchRow ?? null))
  return {
    total: jobs.length,
    sizes: new Set(jobs.map((j) => j.size)).size,
    rows: rowNumbers.has(null) ? prompts.size : rowNumbers.size,
    succeeded: count((j) => j.status === 'succeeded'),
    failed: count((j) => j.status === 'failed'),
    canceled: count((j) => j.status === 'canceled'),
    remaining: count((j) => j.status === 'queued' || j.status === 'running' || j.status === 'interrupted'),
    held: count((j) => j.status === 'queued' && Boolean(j.heldReason)),
    retryable: count((j) => RETRY_FAILED_STATUSES.includes(j.status)),
    cancelable: count((j) => CANCELABLE_STATUSES.includes(j.status)),
    estimated: unpriced ? null : roundMoney(jobs.reduce((sum, j) => sum + (j.estimatedCost ?? 0), 0)),
    charged: roundMoney(jobs.reduce((sum, j) => sum + (j.chargedCost ?? 0), 0)),
    chargeUnknown: count((j) => j.status === 'succeeded' && j.chargedCost === null),
    currency: jobs[0]?.currency ?? 'USD',
    prompt: prompts.size === 1 ? jobs[0]!.prompt : null,
  }
}

/**
 * What a group is made of, in words: "3 sizes" for one prompt at three sizes, "4 rows × 2 sizes ·
 * 8 jobs" for a CSV batch (never "8 jobs · 8 sizes": a row's sizes repeat across rows).
 */
export function batchShape(s: Pick<BatchSummary, 'total' | 'sizes' | 'rows'>): string {
  const jobs = plural(s.total, 'job')
  if (s.rows > 1) return `${plural(s.rows, 'row')} × ${plural(s.sizes, 'size')} · ${jobs}`
  const sizes = plural(s.sizes, 'size')
  return s.total === s.sizes ? sizes : `${sizes} · ${jobs}`
}

/** The group's name: its prompt when the jobs share one, else what it is made of. */
export function batchTitle(s: Pick<BatchSummary, 'prompt' | 'total' | 'sizes' | 'rows'>): string {
  return s.prompt ?? `Batch: ${batchShape(s)}`
}

export interface BatchNotice {
  batchId: string
  title: string
  body: string
}

const TITLE_PROMPT_CHARS = 60

/** The words of a finished batch's notification: what it was, what came of it, what it cost. */
export function batchNotice(batchId: string, s: BatchSummary): BatchNotice {
  const what = s.prompt === null ? batchShape(s) : shorten(s.prompt, TITLE_PROMPT_CHARS)
  const title = s.failed > 0 || s.held > 0 ? `Batch needs attention: ${what}` : `Batch finished: ${what}`
  const parts = [`${s.succeeded} of ${s.total} succeeded`]
  if (s.failed > 0) parts.push(`${s.failed} failed`)
  if (s.canceled > 0) parts.push(`${s.canceled} canceled`)
  if (s.held > 0) parts.push(`${s.held} held by a budget`)
  let spent = `spent ${formatAmount(s.charged, s.currency)}`
  if (s.chargeUnknown > 0) spent += ` (+ ${s.chargeUnknown} not reported by the provider)`
  parts.push(spent)
  return { batchId, title, body: parts.join(' · ') }
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`
}

/** How many batches the watcher remembers; the oldest are forgotten first. */
const MAX_BATCHES = 500

/**
 * Decides when a batch has finished: it had active work while we watched and now has none. A
 * batch that was entirely canceled by hand is not announced: the person already knows.
 */
export class BatchFinishWatcher {
  private readonly batches = new Map<string, Map<string, JobView>>()
  private readonly working = new Set<string>()

  update(job: JobView): BatchNotice | null {
    if (job.batchId === null) return null
    const batchId = job.batchId
    let jobs = this.batches.get(batchId)
    if (!jobs) {
      jobs = new Map()
      this.batches.set(batchId, jobs)
      this.forgetOldest()
    }
    jobs.set(job.id, job)
    if (isActive(job)) {
      this.working.add(batchId)
      return null
    }
    if (!this.working.has(batchId) || [...jobs.values()].some(isActive)) return null
    this.working.delete(batchId)
    const summary = summarizeBatch([...jobs.values()])
    if (summary.succeeded + summary.failed + summary.held === 0) return null
    return batchNotice(batchId, summary)
  }

  /** A job removed from the queue (cleared). */
  forget(jobId: string): void {
    for (const jobs of this.batches.values()) jobs.delete(jobId)
  }

  private forgetOldest(): void {
    while (this.batches.size > MAX_BATCHES) {
      const oldest = this.batches.keys().next().value as string
      this.batches.delete(oldest)
      this.working.delete(oldest)
    }
  }
}
