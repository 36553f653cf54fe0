/**
 * What a job whose images could not be stored says about money: nothing spent when unsent, maybe
 * spent when sent, and the amount in the same spelling as every other amount once it is known.
 */
import { describe, expect, it } from 'vitest'
import type { StorageProblem } from '../../../src/main/core/files/storage-check'
import type { CallCharge } from '../../../src/main/core/store/records'
import { storageFailureMessage } from '../../../src/main/core/queue/storage-failure-message'

const FULL: StorageProblem = { code: 'disk_full', message: 'The disk is full.' }
const charge: CallCharge = { amount: 0.1, basis: 'table', source: null, usage: null }

describe('storageFailureMessage', () => {
  it('says by how far the job got whether money was spent', () => {
    expect(storageFailureMessage(FULL, { stage: 'not_sent' })).toMatch(/^Not sent, nothing charged: The disk is full\./)
    expect(storageFailureMessage(FULL, { stage: 'sent' })).toMatch(/may have charged for it/)
    expect(storageFailureMessage(FULL, { stage: 'answered', images: 2, charged: null, currency: 'USD', charge })).toContain('charged an unknown amount')
  })

  it('spells the amount as the rest of the app does, in its own currency', () => {
    expect(storageFailureMessage(FULL, { stage: 'answered', images: 1, charged: 0.1, currency: 'USD', charge })).toContain('returned 1 image(s) and charged $0.10, but')
    expect(storageFailureMessage(FULL, { stage: 'answered', images: 1, charged: 0.015, currency: 'EUR', charge })).toContain('charged €0.015, but')
  })
})
