import type { QueueState } from '../shared/api'
import type { CliContext } from './context'
import { cliPauseFix } from './remedy-words'

/**
 * After `--wait` or `run`: the queue may have paused itself because the library folder is full or
 * read-only. Scripts get the reason in the JSON (`pauseReason`) and exit code 1; people get it in
 * words, with the fix, after the job list.
 */
export async function queuePause(ctx: CliContext): Promise<{ pauseReason: NonNullable<QueueState['pauseReason']> | null; notice: string }> {
  const state = await ctx.call('queue.state', {})
  const reason = state.pauseReason ?? null
  if (!reason) return { pauseReason: null, notice: '' }
  const unsent = state.counts.queued > 0 ? `\n${state.counts.queued} queued job(s) were not sent and cost nothing; they run once the queue goes on.` : ''
  return { pauseReason: reason, notice: `\nQueue paused: ${reason.message}\nfix: ${cliPauseFix(reason)}${unsent}` }
}
