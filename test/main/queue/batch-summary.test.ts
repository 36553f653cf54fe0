/** When a batch counts as finished, and what its notification says. */
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../../src/shared/api'
import { batchNotice, batchShape, batchTitle, BatchFinishWatcher, summarizeBatch } from '../../../src/shared/queue/batch-summary'

function job(id: string, status: JobView['status'], over: Partial<JobView> = {}): JobView {
  return {
    id,
    batchId: 'batch_1',
    provider: 'openai',
    keyLabel: 'studio',
    prompt: 'Linen shirt on a hanger, white background',
    size: '1024x1024',
    format: 'png',
    n: 1,
    status,
    attempts: status === 'queued' ? 0 : 1,
    maxAttempts: 4,
    nextAttemptAt: null,
    error: null,
    estimatedCost: 0.04,
    chargedCost: status === 'succeeded' ? 0.04 : status === 'failed' ? 0 : null,
    currency: 'USD',
    createdAt: 1,
    startedAt: null,
    finishedAt: null,
    typicalLatencyMs: 20_000,
    imageIds: [],
    ...over,
  }
}

describe('summarizeBatch', () => {
  it('counts, sums the money and keeps the shared prompt', () => {
    const s = summarizeBatch([
      job('a', 'succeeded'),
      job('b', 'failed'),
      job('c', 'running'),
      job('d', 'queued', { heldReason: 'Over budget' }),
      job('e', 'canceled'),
    ])
    expect(s).toMatchObject({
      total: 5,
      succeeded: 1,
      failed: 1,
      canceled: 1,
      remaining: 2,
      held: 1,
      retryable: 1,
      cancelable: 2,
      estimated: 0.2,
      charged: 0.04,
      chargeUnknown: 0,
      prompt: 'Linen shirt on a hanger, white background',
    })
  })

  it('has no estimate when a job has no price, and no prompt when they differ', () => {
    const s = summarizeBatch([job('a', 'queued'), job('b', 'queued', { estimatedCost: null, prompt: 'other' })])
    expect(s.estimated).toBeNull()
    expect(s.prompt).toBeNull()
  })
})

describe('what a group is made of', () => {
  const csvBatch = () =>
    [1, 2, 3, 4].flatMap((row) =>
      ['1024x1024', '1536x1024'].map((size) => job(`r${row}-${size}`, 'queued', { prompt: `product ${row} on white`, batchRow: row, size })),
    )

  it('says rows × sizes for a CSV batch, not "8 jobs · 8 sizes"', () => {
    const s = summarizeBatch(csvBatch())
    expect(s).toMatchObject({ total: 8, rows: 4, sizes: 2, prompt: null })
    expect(batchShape(s)).toBe('4 rows × 2 sizes · 8 jobs')
    expect(batchTitle(s)).toBe('Batch: 4 rows × 2 sizes · 8 jobs')
    expect(batchNotice('batch_1', s).title).toBe('Batch finished: 4 rows × 2 sizes · 8 jobs')
  })

  it('says the sizes for one prompt at several sizes, and counts two rows with the same prompt as two', () => {
    const sizes = summarizeBatch(['1024x1024', '1536x1024', '1024x1536'].map((size, i) => job(`j${i}`, 'queued', { size })))
    expect(batchShape(sizes)).toBe('3 sizes')
    expect(batchTitle(sizes)).toBe('Linen shirt on a hanger, white background')
    const twins = summarizeBatch([job('a', 'queued', { batchRow: 1 }), job('b', 'queued', { batchRow: 2 })])
    expect(batchShape(twins)).toBe('2 rows × 1 size · 2 jobs')
  })
})

describe('BatchFinishWatcher', () => {
  it('announces a batch once, when its last active job settles, with counts and money', () => {
    const w = new BatchFinishWatcher()
    expect(w.update(job('a', 'queued'))).toBeNull()
    expect(w.update(job('b', 'queued'))).toBeNull()
    expect(w.update(job('c', 'queued'))).toBeNull()
    expect(w.update(job('a', 'succeeded', { chargedCost: 0.05 }))).toBeNull()
    expect(w.update(job('b', 'running'))).toBeNull()
    expect(w.update(job('c', 'failed'))).toBeNull()
    expect(w.update(job('b', 'succeeded', { chargedCost: 0.0425 }))).toEqual({
      batchId: 'batch_1',
      title: 'Batch needs attention: Linen shirt on a hanger, white background',
      body: '2 of 3 succeeded · 1 failed · spent $0.0925',
    })
    // A late duplicate event does not announce it again.
    expect(w.update(job('b', 'succeeded', { chargedCost: 0.0425 }))).toBeNull()
  })

  it('says "finished" when everything succeeded, and mentions charges the provider did not report', () => {
    const w = new BatchFinishWatcher()
    w.update(job('a', 'running'))
    w.update(job('b', 'running'))
    w.update(job('a', 'succeeded', { chargedCost: null }))
    expect(w.update(job('b', 'succeeded', { chargedCost: 0.04 }))).toMatchObject({
      title: 'Batch finished: Linen shirt on a hanger, white background',
      body: '2 of 2 succeeded · spent $0.04 (+ 1 not reported by the provider)',
    })
  })

  it('names a batch of different prompts by its size, and shortens a long prompt', () => {
    const w = new BatchFinishWatcher()
    w.update(job('a', 'running', { prompt: 'first' }))
    expect(w.update(job('a', 'succeeded', { prompt: 'first' }))?.title).toBe('Batch finished: first')
    w.update(job('x', 'running', { batchId: 'batch_2', prompt: 'one' }))
    w.update(job('y', 'queued', { batchId: 'batch_2', prompt: 'two' }))
    w.update(job('x', 'succeeded', { batchId: 'batch_2', prompt: 'one' }))
    expect(w.update(job('y', 'succeeded', { batchId: 'batch_2', prompt: 'two' }))?.title).toBe('Batch finished: 2 rows × 1 size · 2 jobs')
    const long = 'a '.repeat(80)
    w.update(job('l', 'running', { batchId: 'batch_3', prompt: long }))
    const title = w.update(job('l', 'succeeded', { batchId: 'batch_3', prompt: long }))!.title
    expect(title.length).toBeLessThan(80)
    expect(title.endsWith('…')).toBe(true)
  })

  it('says nothing for single jobs, for batches it never saw working, and for batches canceled by hand', () => {
    const w = new BatchFinishWatcher()
    w.update(job('s', 'running', { batchId: null }))
    expect(w.update(job('s', 'succeeded', { batchId: null }))).toBeNull()
    expect(w.update(job('old', 'succeeded', { batchId: 'batch_old' }))).toBeNull()
    w.update(job('a', 'queued'))
    w.update(job('b', 'queued'))
    w.update(job('a', 'canceled'))
    expect(w.update(job('b', 'canceled'))).toBeNull()
  })

  it('a batch stopped by a budget is announced as needing attention', () => {
    const w = new BatchFinishWatcher()
    w.update(job('a', 'running'))
    w.update(job('b', 'queued'))
    w.update(job('a', 'succeeded'))
    expect(w.update(job('b', 'queued', { heldReason: 'Over the daily budget of $5.00' }))).toMatchObject({
      title: 'Batch needs attention: Linen shirt on a hanger, white background',
      body: '1 of 2 succeeded · 1 held by a budget · spent $0.04',
    })
  })

  it('announces a batch again after its failed jobs are retried and settle', () => {
    const w = new BatchFinishWatcher()
    w.update(job('a', 'running'))
    expect(w.update(job('a', 'failed'))).not.toBeNull()
    w.update(job('a', 'queued'))
    expect(w.update(job('a', 'succeeded'))?.body).toBe('1 of 1 succeeded · spent $0.04')
  })
})
