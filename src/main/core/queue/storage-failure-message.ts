/**
 * Words for a job whose images could not be stored, by how far it got: the one question a person
 * has then is whether money was spent, so each message says so, with the amount where it is known.
 */
import { formatAmount } from '../../../shared/api/money'
import type { StorageProblem } from '../files/storage-check'
import type { CallCharge } from '../store/records'

/** What a job had reached when its images could not be stored: decides whether money was spent. */
export type StorageFailurePoint =
  | { stage: 'not_sent' }
  | { stage: 'sent' }
  | { stage: 'answered'; images: number; charged: number | null; currency: string; charge: CallCharge }

export function storageFailureMessage(problem: StorageProblem, point: StorageFailurePoint): string {
  switch (point.stage) {
    case 'not_sent':
      return `Not sent, nothing charged: ${problem.message} It runs once the queue is resumed.`
    case 'sent':
      return `The request had reached the provider, which may have charged for it, but its result could not be stored: ${problem.message} It was not sent again: check the provider, then retry it if you still want it.`
    case 'answered': {
      const cost = point.charged === null ? 'an unknown amount' : formatAmount(point.charged, point.currency)
      return `The provider returned ${point.images} image(s) and charged ${cost}, but they could not be saved: ${problem.message} It was not sent again; a retry buys the image(s) again once there is room.`
    }
  }
}
