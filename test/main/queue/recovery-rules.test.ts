/**
 * The decision recovery makes for each job a crash left 'running' (queue/recovery.ts), case by
 * case, and the words an interrupted job shows the user.
 */
import { describe, expect, it } from 'vitest'
import { builtinProfiles } from '../../../src/main/core/providers/builtin-profiles'
import { demoProfile } from '../../../src/main/core/providers/demo'
import { recoveryFor, type RecoveryFacts } from '../../../src/main/core/queue/recovery'

const job = (n: number) => ({ params: { n } }) as Parameters<typeof recoveryFor>[0]
const facts = (over: Partial<RecoveryFacts> = {}): RecoveryFacts => ({
  imagesSaved: 0,
  providerName: 'TokenHub',
  canResumeTask: false,
  safeToResubmit: false,
  ...over,
})

describe('recoveryFor', () => {
  it('finishes a job whose images were all recorded: the crash came before the row said so', () => {
    expect(recoveryFor(job(3), facts({ imagesSaved: 3 }))).toEqual({ action: 'succeed' })
    // Even where a resubmit would be free or a task could be polled: there is nothing left to ask for.
    expect(recoveryFor(job(1), facts({ imagesSaved: 1, canResumeTask: true, safeToResubmit: true }))).toEqual({ action: 'succeed' })
  })

  it('polls a saved task again as the same attempt, and resubmits to a free provider as a new one', () => {
    expect(recoveryFor(job(1), facts({ canResumeTask: true }))).toEqual({ action: 'resume', sameAttempt: true })
    expect(recoveryFor(job(2), facts({ imagesSaved: 1, safeToResubmit: true }))).toEqual({ action: 'resume', sameAttempt: false })
  })

  it('leaves a call that may have been charged to the user, saying what to check and how to retry', () => {
    const r = recoveryFor(job(1), facts())
    expect(r.action).toBe('interrupt')
    const message = r.action === 'interrupt' ? r.message : ''
    expect(message).toContain('was at TokenHub, which may have charged for it')
    expect(message).toContain('It was not sent again on its own.')
    expect(message).toContain('Check your TokenHub usage first: a retry asks for the image again, which TokenHub charges as a new request.')
    // How to retry is each door's to say (the Queue's Retry, "proofsheet retry ID"), not the engine's.
    expect(message).not.toMatch(/proofsheet retry|the Queue/)
  })

  it('says which images were kept and that Retry asks only for the rest', () => {
    const r = recoveryFor(job(6), facts({ imagesSaved: 4 }))
    const message = r.action === 'interrupt' ? r.message : ''
    expect(message).toContain('4 of 6 images were saved and are kept.')
    expect(message).toContain('a retry asks for the remaining 2 again')
    const none = recoveryFor(job(6), facts())
    expect(none.action === 'interrupt' ? none.message : '').toContain('a retry asks for all 6 images again')
  })

  it('reads, whole, as the Queue shows it (test/renderer/queue-panel.test.tsx uses these words)', () => {
    const r = recoveryFor({ params: { n: 3 } } as Parameters<typeof recoveryFor>[0], facts({ imagesSaved: 1 }))
    expect(r).toEqual({
      action: 'interrupt',
      message:
        'Proofsheet stopped while a request for this job was at TokenHub, which may have charged for it without the image ' +
        'reaching Proofsheet. 1 of 3 images were saved and are kept. It was not sent again on its own. Check your TokenHub usage ' +
        'first: a retry asks for the remaining 2 again, which TokenHub charges as a new request.',
    })
  })

  it('names no provider it no longer knows', () => {
    const r = recoveryFor(job(1), facts({ providerName: null }))
    expect(r.action === 'interrupt' ? r.message : '').toContain('was at the provider, which may have charged for it')
  })
})

describe('which providers may be resubmitted after a crash', () => {
  it('only the offline demo: no hosted provider documents that a call it completed is free', () => {
    // TokenHub ("failed calls are not charged") and Tokensmart (refunds for failed calls) speak of
    // calls that fail at the provider; a call our crash cut off has succeeded there and was billed.
    expect(builtinProfiles.filter((p) => p.safeToResubmit).map((p) => p.id)).toEqual([])
    expect(demoProfile).toMatchObject({ safeToResubmit: true, baseUrl: 'local://demo', pricing: { tiers: [{ price: 0 }] } })
  })
})
