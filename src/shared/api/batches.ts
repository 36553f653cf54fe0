import { z } from 'zod'
import { NoInput, route } from './route'

/**
 * Retrying many jobs at once: the failed (and interrupted) jobs of one batch, or of the whole
 * queue. Canceled jobs are left alone: someone stopped them on purpose; each has its own Retry.
 */
export const Retried = z.object({ retried: z.number().int() })
export type Retried = z.infer<typeof Retried>

export const batchRoutes = {
  'batches.retryFailed': route(z.object({ batchId: z.string().min(1) }).strict(), Retried),
  'queue.retryFailed': route(NoInput, Retried),
} as const
