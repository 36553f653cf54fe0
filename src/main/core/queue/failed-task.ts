/**
 * Words for a task the provider failed upstream (ToAPIs `generation_failed`). ToAPIs confirms the
 * price at submission and promises no refund for a failed task, so every failed task may be on the
 * bill: the job says so, both in its error while it happens and in a note that stays afterwards.
 */
import { formatAmount } from '../../../shared/api/money'

export function failedTaskMessage(facts: { providerMessage: string; providerName: string; resubmitting: boolean; resubmittedBefore: boolean }): string {
  const { providerMessage, providerName } = facts
  if (facts.resubmitting) {
    return `${providerMessage} Proofsheet resubmits it once on its own; ${providerName} may bill the failed task as well.`
  }
  const already = facts.resubmittedBefore ? 'It was resubmitted once already, so it is not sent again on its own: ' : ''
  return `${providerMessage} ${already}${providerName} may bill each failed task: retry it only if you want to pay for another try.`
}

/**
 * The note a job with failed tasks carries, e.g. "ToAPIs failed the task upstream; resubmitted once
 * (may be billed twice). A failed task may be billed: up to $0.015 for it, beyond the charge shown."
 */
export function failedTaskNote(facts: { providerName: string; failedTasks: number; resubmits: number; possibleCost: number | null; currency: string }): string {
  const { providerName, failedTasks, resubmits } = facts
  const times = failedTasks === 1 ? '' : failedTasks === 2 ? ' twice' : ` ${failedTasks} times`
  const resubmitted = resubmits > 0 ? `; resubmitted once${failedTasks === 1 ? ' (may be billed twice)' : ''}` : ''
  const cost = facts.possibleCost === null ? 'an unknown amount' : formatAmount(facts.possibleCost, facts.currency)
  return `${providerName} failed the task upstream${times}${resubmitted}. A failed task may be billed: up to ${cost} for ${failedTasks === 1 ? 'it' : 'them'}, beyond the charge shown.`
}
