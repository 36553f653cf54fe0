/**
 * What to do, after a crash, with a job the last process left 'running'. The rule that matters:
 * never pay twice without the user knowing. A call that may have reached the provider is only sent
 * again where that costs nothing (a saved async task is polled, never resubmitted; a free provider
 * is resubmitted); everything else is marked interrupted with a message saying what to check and how
 * to retry. Pure, so every case is tested without a crash.
 */
import type { JobRecord } from '../store/records'

export interface RecoveryFacts {
  /** Images of this job already recorded (each recorded call was paid for and is kept). */
  imagesSaved: number
  /** The provider's display name, null when the profile is no longer configured. */
  providerName: string | null
  /** A task id was saved and the adapter can poll it: the provider has the work, we only look. */
  canResumeTask: boolean
  /**
   * A split call of a fan-out was sent and no task id came back before the stop: it may have been
   * charged. Absent for older callers: none.
   */
  sentWithoutTask?: boolean
  /** Resubmitting a call that may have gone through costs nothing (the offline demo). */
  safeToResubmit: boolean
}

export type Recovery =
  | { action: 'succeed' }
  /** Back in the queue; `sameAttempt`: polling a saved task is not a new try. */
  | { action: 'resume'; sameAttempt: boolean }
  | { action: 'interrupt'; message: string }

export function recoveryFor(job: Pick<JobRecord, 'params'>, facts: RecoveryFacts): Recovery {
  // Every image was recorded, so the crash came after the last call and before the row said so.
  if (facts.imagesSaved >= job.params.n) return { action: 'succeed' }
  // Resuming the saved tasks would send that call again too: the user decides (Retry follows the
  // saved tasks and submits only the rest).
  if (facts.sentWithoutTask && !facts.safeToResubmit) return { action: 'interrupt', message: interruptedMessage(job, facts) }
  if (facts.canResumeTask) return { action: 'resume', sameAttempt: true }
  if (facts.safeToResubmit) return { action: 'resume', sameAttempt: false }
  return { action: 'interrupt', message: interruptedMessage(job, facts) }
}

function interruptedMessage(job: Pick<JobRecord, 'params'>, facts: RecoveryFacts): string {
  const provider = facts.providerName ?? 'the provider'
  const n = job.params.n
  const saved = facts.imagesSaved
  const kept = saved > 0 ? ` ${saved} of ${n} images were saved and are kept.` : ''
  const rest = saved > 0 ? `the remaining ${n - saved}` : n === 1 ? 'the image' : `all ${n} images`
  return (
    `Proofsheet stopped while a request for this job was at ${provider}, which may have charged for it ` +
    `without the image reaching Proofsheet.${kept} It was not sent again on its own. Check your ${provider} usage ` +
    `first: a retry asks for ${rest} again, which ${provider} charges as a new request.`
  )
}
