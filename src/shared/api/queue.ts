import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { JobStatus } from './jobs'
import { NoInput, Ok, route } from './route'

/** The queue as a whole: its state, pausing it, and what applies to all of its jobs at once. */

export const QueueState = onFirstUse(() => z.object({
  paused: z.boolean(),
  counts: z.record(JobStatus, z.number().int()),
  /** Of the queued jobs, how many a budget holds back. */
  held: z.number().int().optional(),
  /**
   * Set when the queue paused itself because the library folder cannot take writes (disk full,
   * read-only, no permission, a damaged database): what is wrong, to show as it is; what to do is
   * each door's to word from the code (a `library` remedy). Resume clears it.
   */
  pauseReason: z
    .object({ code: z.enum(['disk_full', 'read_only', 'not_writable', 'damaged']), message: z.string() })
    .nullable()
    .optional(),
}))
export type QueueState = z.infer<typeof QueueState>

/** How many jobs a retry put back in the queue. */
export const Retried = onFirstUse(() => z.object({ retried: z.number().int() }))
export type Retried = z.infer<typeof Retried>

export const queueRoutes = onFirstUse(() => ({
  'queue.state': route(NoInput, QueueState),
  'queue.pause': route(NoInput, QueueState),
  'queue.resume': route(NoInput, QueueState),
  'queue.clearFinished': route(NoInput, Ok),
  /** Every failed (and interrupted) job, in a batch or not, back in the queue; canceled ones stay canceled. */
  'queue.retryFailed': route(NoInput, Retried),
} as const))
