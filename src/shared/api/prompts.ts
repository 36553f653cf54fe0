import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { route } from './route'

/**
 * The library's prompt history: the distinct prompts sent from the prompt box (and single
 * command-line generations), newest first, for recall with Up/Down and the History list. SKU batch
 * rows are left out: one table of 500 products would push every hand-written prompt out.
 */

/** How many prompts the history keeps in reach (the newest distinct ones). */
export const PROMPT_HISTORY_MAX = 200

export const PromptHistoryEntry = onFirstUse(() => z.object({
  prompt: z.string(),
  /** When a job last used it (milliseconds since the epoch). */
  lastUsedAt: z.number(),
  /** How many starred images it made (0: none), so the history can mark the prompts that worked. */
  starred: z.number().int(),
}))
export type PromptHistoryEntry = z.infer<typeof PromptHistoryEntry>

export const promptRoutes = onFirstUse(() => ({
  /** Newest first; `search` keeps the prompts that contain it (case ignored for ASCII letters). */
  'prompts.history': route(
    z.strictObject({
      search: z.string().max(500, 'search is longer than 500 characters').optional(),
      limit: z.number().int().min(1).max(PROMPT_HISTORY_MAX, `limit is at most ${PROMPT_HISTORY_MAX}`).default(PROMPT_HISTORY_MAX),
    }),
    z.object({ prompts: z.array(PromptHistoryEntry) }),
  ),
} as const))
