import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { Estimate } from './money'
import { EstimateRequest, GenerationRequest, OutputFormat } from './generation'
import { route } from './route'
import { ChargeBasis, TokenUsage } from './token-usage'

export const JobStatus = onFirstUse(() => z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled', 'interrupted']))
export type JobStatus = z.infer<typeof JobStatus>
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled']
/**
 * Which jobs each action takes: the engine's updates apply these, and the doors count and offer
 * their buttons by them, so a button is never shown for a job its action would pass over.
 */
/** Cancel (one job, or the rest of a batch): work not finished yet. */
export const CANCELABLE_STATUSES: readonly JobStatus[] = ['queued', 'running', 'interrupted']
/** A job's own Retry: whatever ended without its images, canceled included. */
export const RETRYABLE_STATUSES: readonly JobStatus[] = ['failed', 'canceled', 'interrupted']
/**
 * "Retry failed", for one batch or the whole queue: failures, and jobs a stopped app left
 * unfinished. Canceled jobs were stopped on purpose and stay so (each can still be retried alone).
 */
export const RETRY_FAILED_STATUSES: readonly JobStatus[] = ['failed', 'interrupted']

/** What went wrong, in the few kinds a user can act on. */
export const ErrorKind = onFirstUse(() => z.enum(['retryable', 'input', 'auth', 'billing', 'content_policy', 'provider_down', 'interrupted', 'internal']))
export type ErrorKind = z.infer<typeof ErrorKind>

/** The job a rerun repeats, and the generation (gallery group) it belongs to, so the new one can sit beside it. */
export const RerunOrigin = onFirstUse(() => z.object({ jobId: z.string(), groupId: z.string() }))
export type RerunOrigin = z.infer<typeof RerunOrigin>

export const JobView = onFirstUse(() => z.object({
  id: z.string(),
  batchId: z.string().nullable(),
  provider: z.string(),
  keyLabel: z.string().nullable(),
  prompt: z.string(),
  size: z.string(),
  format: OutputFormat,
  n: z.number().int(),
  status: JobStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: z.number().nullable(),
  error: z.object({ kind: ErrorKind, code: z.string().nullable(), message: z.string() }).nullable(),
  /** Null when the profile has no price for this size. */
  estimatedCost: z.number().nullable(),
  /** Null until something was charged, or when the provider's charge is unknown. */
  chargedCost: z.number().nullable(),
  /** Token counts the provider reported (OpenAI's usage), summed over the job's calls; null when it reported none. */
  usage: TokenUsage.nullable().optional(),
  /** How `chargedCost` was found: from tokens, the provider's own figure, or the list price. Null before any charge. */
  chargeBasis: ChargeBasis.nullable().optional(),
  /** Where the token prices behind a 'tokens' charge come from (page and date), else null. */
  chargeSource: z.string().nullable().optional(),
  currency: z.string(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  typicalLatencyMs: z.number().int(),
  imageIds: z.array(z.string()),
  /** Set when this job reruns an earlier one (jobs.rerun), else null. */
  rerunOf: RerunOrigin.nullable().optional(),
  /** A queued job the queue will not start, and why (a budget), in words to show as they are. */
  heldReason: z.string().nullable().optional(),
  /** A running job whose provider holds a task we are polling (async providers such as ToAPIs). */
  polling: z.boolean().optional(),
  /** The SKU of the batch row this job came from (names exported files), else null. */
  sku: z.string().nullable().optional(),
  /** The row of the SKU batch's table this job came from (1-based, as the preview numbers them), else null (a Generate press). */
  batchRow: z.number().int().nullable().optional(),
  /**
   * Tasks the provider failed upstream (ToAPIs), which it may bill all the same: how many, how often
   * the queue resubmitted on its own (at most once), what they may have cost beyond `chargedCost`
   * (null: unknown; the estimate includes it), and a note to show as it is. Null when none failed.
   */
  failedTasks: z
    .object({ count: z.number().int(), resubmitted: z.number().int(), possibleCost: z.number().nullable(), note: z.string() })
    .nullable()
    .optional(),
}))
export type JobView = z.infer<typeof JobView>

/**
 * The latest partial image a streaming provider sent for a running job, as a small preview (a
 * webp data: URL, at most PARTIAL_PREVIEW_SIDE px a side): it travels in events over IPC and the
 * browser bridge, so it stays a few KB. Never stored in the library; the final image is.
 */
export const PARTIAL_PREVIEW_SIDE = 256
export const JobPartialImage = onFirstUse(() => z.object({
  jobId: z.string(),
  /** The image of the job it belongs to (0-based), and which partial of that image it is. */
  imageIndex: z.number().int(),
  partialIndex: z.number().int(),
  preview: z.string(),
  width: z.number().int(),
  height: z.number().int(),
}))
export type JobPartialImage = z.infer<typeof JobPartialImage>

const JobId = onFirstUse(() => z.object({ id: z.string().min(1) }).strict())

/** Where a page of the job list ends: the next page holds the jobs made before this one. */
export const JobCursor = onFirstUse(() => z.strictObject({ createdAt: z.number(), id: z.string().min(1) }))
export type JobCursor = z.infer<typeof JobCursor>

export const jobRoutes = onFirstUse(() => ({
  'jobs.estimate': route(EstimateRequest, Estimate),
  'jobs.generate': route(
    GenerationRequest,
    z.object({ batchId: z.string().nullable(), jobs: z.array(JobView), estimate: Estimate }),
  ),
  /**
   * Newest first, a page at a time (`before` is the previous page's `next`). A page never ends
   * inside a batch: it runs on to the batch's last job, so a batch's counts are whole.
   */
  'jobs.list': route(
    z
      .object({ limit: z.number().int().min(1).max(500).default(100), status: JobStatus.optional(), before: JobCursor.optional() })
      .strict(),
    z.object({ jobs: z.array(JobView), next: JobCursor.nullable().optional() }),
  ),
  'jobs.get': route(JobId, JobView),
  /** The latest partial image of a running job (for a placeholder that mounts after it came), or null. */
  'jobs.partialPreview': route(JobId, z.object({ partial: JobPartialImage.nullable() })),
  /**
   * Queues the job again with exactly its settings (prompt, size, count, options, references, mask,
   * key, base URL, template), checked and priced as a new request; the new job records what it reruns.
   */
  'jobs.rerun': route(JobId, z.object({ batchId: z.string().nullable(), jobs: z.array(JobView), estimate: Estimate })),
  'jobs.cancel': route(JobId, JobView),
  'jobs.retry': route(JobId, JobView),
} as const))
