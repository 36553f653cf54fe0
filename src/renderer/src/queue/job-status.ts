import { CANCELABLE_STATUSES, LibraryProblem, RETRYABLE_STATUSES, type ErrorKind, type JobStatus, type JobView } from '../../../shared/api'
import { libraryFix } from '../ui/format/remedy-words'

export const STATUS_LABELS: Readonly<Record<JobStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  canceled: 'Canceled',
  interrupted: 'Interrupted',
}

/** What the user can do about each kind of failure; the engine's message says what happened. */
const ERROR_FIXES: Readonly<Record<ErrorKind, string>> = {
  retryable: 'This usually passes on its own: wait for the automatic retry or press Retry.',
  input: 'Change the prompt, size or format, then generate again.',
  auth: 'Check the API key for this provider (it may be wrong, revoked or missing), then press Retry.',
  billing: "Top up the provider account or choose another provider, then press Retry.",
  content_policy: 'The provider refused this prompt. Rephrase it and generate again.',
  provider_down: 'The provider is not answering. Press Retry later or choose another provider.',
  interrupted: "Check the provider's usage before you press Retry: Retry sends the request again, and the provider may charge for it again.",
  internal: 'Something went wrong inside Proofsheet. Press Retry; if it keeps failing, report it.',
}

/** A full or read-only library disk is not a bug to report: its code says what to do instead. */
function storageFix(code: string): string | undefined {
  const parsed = LibraryProblem.safeParse(code)
  if (!parsed.success) return undefined
  // A damaged library is restored, not resumed, and nothing in it is retried until then.
  if (parsed.data === 'damaged') return libraryFix(parsed.data)
  return `${libraryFix(parsed.data)} Retry a failed job only if you still want it: it is bought again.`
}

/** Other codes whose fix is not their kind's. */
const CODE_FIXES: Readonly<Record<string, string>> = {
  // The provider may bill a failed task: another try is the user's money, not the queue's.
  task_failed: 'The provider may bill each failed task. Press Retry only if you want to pay for another try, or choose another provider.',
}

export function errorFix(error: NonNullable<JobView['error']>): string {
  return (error.code !== null ? (storageFix(error.code) ?? CODE_FIXES[error.code]) : undefined) ?? ERROR_FIXES[error.kind]
}

export function canCancel(job: JobView): boolean {
  return CANCELABLE_STATUSES.includes(job.status)
}

export function canRetry(job: JobView): boolean {
  return RETRYABLE_STATUSES.includes(job.status)
}
