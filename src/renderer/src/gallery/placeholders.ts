import type { JobView } from '../../../shared/api'
import { generationGroupId } from '../../../shared/gallery/generation-group'
import { searchWords } from '../../../shared/gallery/search-words'
import { dayStart, type FilterPanelState } from './gallery-store'

/**
 * Placeholder tiles: what the gallery shows at its top for images on their way, so a designer
 * sees a Generate press land where they look. Derived, never stored: from the queue store's jobs
 * and what the gallery store saw happen in this page (which jobs failed while it watched, which
 * finished jobs' images are still being fetched, which failures were dismissed).
 *
 * The rules:
 * - Only Generate presses get placeholders, not SKU batch rows: a batch of hundreds would bury
 *   the gallery (its progress is in the queue's batch group).
 * - A running job shows one placeholder per image still to come; a queued or interrupted one only
 *   when it was asked for in this page (a Generate press, a Retry), so a reload onto a long queue
 *   waiting from an earlier session opens on the gallery's images, not on a wall of tiles.
 * - A finished job keeps its placeholders until its images are in the gallery, so a tile turns
 *   into the image instead of disappearing first.
 * - A job that failed while this page watched shows one tile with the failure, Retry and Dismiss;
 *   older failures stay in the queue, not on top of the gallery.
 * - Filters: a placeholder shows only when no filter would leave its image out (same provider,
 *   key, size, batch, search words, date range); a tag or favorites filter hides them all, since a
 *   new image has neither.
 * - At most MAX_PLACEHOLDERS tiles, newest first: a paused queue of hundreds of single prompts
 *   must not push every image below the fold. The last tile then says how many more are on their
 *   way and opens the queue.
 */

export const MAX_PLACEHOLDERS = 24

export type PlaceholderState = 'queued' | 'held' | 'paused' | 'running' | 'polling' | 'interrupted' | 'saving' | 'failed'

export interface Placeholder {
  /** Unique among the gallery's items. */
  key: string
  job: JobView
  groupId: string
  state: PlaceholderState
  /** The status in words, as the tile shows it. */
  label: string
  /** Which of the job's images still to come this tile stands for (0: the one being made now). */
  slot?: number
  /** On the last tile shown when there are more than MAX_PLACEHOLDERS: how many more are on their way. */
  more?: number
}

/** What the gallery store saw in this page, by job id. */
export interface JobWatch {
  /** Jobs that failed while this page was open. */
  failed: ReadonlySet<string>
  /** Finished jobs whose images are being fetched for the gallery. */
  landing: ReadonlySet<string>
  /** Failures the user dismissed. */
  dismissed: ReadonlySet<string>
  /** Jobs asked for in this page: queued by a Generate press, or retried. */
  requested: ReadonlySet<string>
}

export const NO_JOB_WATCH: JobWatch = { failed: new Set(), landing: new Set(), dismissed: new Set(), requested: new Set() }

export interface PlaceholderContext {
  watch: JobWatch
  /** Ids of the images the gallery has loaded. */
  loaded: ReadonlySet<string>
  filters: FilterPanelState
  queuePaused: boolean
}

/** Words as the full-text index sees them: the search's words, case and accents ignored. */
function words(text: string): string[] {
  return searchWords(text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())
}

/** Whether the image this job will make could pass the filters (the search as prefix words, like the index). */
export function admitsJob(filters: FilterPanelState, job: JobView): boolean {
  if (filters.tag || filters.favorite) return false
  if (filters.provider && filters.provider !== job.provider) return false
  if (filters.keyLabel && filters.keyLabel !== job.keyLabel) return false
  if (filters.size && filters.size !== job.size) return false
  if (filters.batchId && filters.batchId !== job.batchId) return false
  const from = dayStart(filters.from)
  const to = dayStart(filters.to, true)
  if (from !== undefined && job.createdAt < from) return false
  if (to !== undefined && job.createdAt >= to) return false
  const wanted = words(filters.search)
  if (wanted.length > 0) {
    const have = words(job.prompt)
    if (!wanted.every((w) => have.some((h) => h.startsWith(w)))) return false
  }
  return true
}

function pendingState(job: JobView, queuePaused: boolean): { state: PlaceholderState; label: string } {
  if (job.status === 'running') return job.polling ? { state: 'polling', label: 'Waiting for a task' } : { state: 'running', label: 'Running' }
  if (job.status === 'interrupted') return { state: 'interrupted', label: 'Interrupted · resumes with the queue' }
  if (job.heldReason) return { state: 'held', label: `Held: ${job.heldReason}` }
  if (queuePaused) return { state: 'paused', label: 'Queued · the queue is paused' }
  if (job.error) return { state: 'queued', label: 'Queued · retrying after an error' }
  return { state: 'queued', label: 'Queued' }
}

/** The placeholders to show, newest job first (the queue store's order), at most `max`. */
export function derivePlaceholders(jobs: readonly JobView[], ctx: PlaceholderContext, max = MAX_PLACEHOLDERS): Placeholder[] {
  const out: Placeholder[] = []
  for (const job of jobs) {
    if (job.batchRow !== null && job.batchRow !== undefined) continue
    if (!admitsJob(ctx.filters, job)) continue
    const groupId = generationGroupId(job)
    const push = (count: number, state: PlaceholderState, label: string): void => {
      for (let k = 0; k < count; k++) out.push({ key: `pending:${job.id}:${k}`, job, groupId, state, label, slot: k })
    }
    switch (job.status) {
      case 'queued':
      case 'interrupted':
      case 'running': {
        // Waiting work shows only when asked for here; running work is on its way wherever it came from.
        if (job.status !== 'running' && !ctx.watch.requested.has(job.id)) break
        // A job making several images records them one call at a time: those are in the gallery.
        const { state, label } = pendingState(job, ctx.queuePaused)
        push(Math.max(0, job.n - job.imageIds.length), state, label)
        break
      }
      case 'succeeded':
        if (ctx.watch.landing.has(job.id)) push(job.imageIds.filter((id) => !ctx.loaded.has(id)).length, 'saving', 'Saving…')
        break
      case 'failed':
        if (ctx.watch.failed.has(job.id) && !ctx.watch.dismissed.has(job.id)) push(1, 'failed', 'Failed')
        break
      default:
        break
    }
  }
  if (out.length <= max) return out
  const shown = out.slice(0, max)
  shown[max - 1] = { ...shown[max - 1]!, more: out.length - max + 1 }
  return shown
}
