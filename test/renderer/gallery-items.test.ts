import { describe, expect, it } from 'vitest'
import type { JobView } from '../../src/shared/api'
import { arrangeGallery, costTotals, flatItems } from '../../src/renderer/src/gallery/gallery-items'
import { NO_FILTERS } from '../../src/renderer/src/gallery/gallery-store'
import { admitsJob, derivePlaceholders, MAX_PLACEHOLDERS, NO_JOB_WATCH, type JobWatch, type PlaceholderContext } from '../../src/renderer/src/gallery/placeholders'
import { image, job } from './fake-api'

const T0 = 1_767_225_600_000

/** Every job counts as asked for in this page, unless a test says otherwise. */
const ASKED_HERE: JobWatch = { ...NO_JOB_WATCH, requested: { has: () => true } as unknown as ReadonlySet<string> }
const ctx = (over: Partial<PlaceholderContext> = {}): PlaceholderContext => ({
  watch: ASKED_HERE,
  loaded: new Set(),
  filters: NO_FILTERS,
  queuePaused: false,
  ...over,
})
const watched = (over: Partial<JobWatch>): JobWatch => ({ ...ASKED_HERE, ...over })
const keys = (jobs: JobView[], c = ctx()): string[] => derivePlaceholders(jobs, c).map((p) => p.key)
const labels = (jobs: JobView[], c = ctx()): string[] => derivePlaceholders(jobs, c).map((p) => p.label)

describe('placeholder tiles', () => {
  it('shows one per image still to come for queued, running and interrupted jobs of a Generate press', () => {
    const jobs = [
      job({ id: 'job_a', status: 'queued', n: 2 }),
      job({ id: 'job_b', status: 'running', n: 3, imageIds: ['img_b1'] }),
      job({ id: 'job_c', status: 'interrupted' }),
      job({ id: 'job_d', status: 'canceled' }),
      job({ id: 'job_e', status: 'succeeded', imageIds: ['img_e'] }),
    ]
    expect(keys(jobs)).toEqual(['pending:job_a:0', 'pending:job_a:1', 'pending:job_b:0', 'pending:job_b:1', 'pending:job_c:0'])
  })

  it('leaves SKU batch rows to the queue, however many there are', () => {
    const rows = Array.from({ length: 300 }, (_, i) => job({ id: `job_row${i}`, batchId: 'batch_sku', batchRow: i + 1, status: 'queued' }))
    const press = [job({ id: 'job_wide', batchId: 'batch_press', size: '1536x1024' }), job({ id: 'job_sq', batchId: 'batch_press' })]
    const shown = derivePlaceholders([...press, ...rows], ctx())
    expect(shown.map((p) => p.job.id)).toEqual(['job_wide', 'job_sq'])
    // A press at two sizes is one generation.
    expect(new Set(shown.map((p) => p.groupId))).toEqual(new Set(['batch_press']))
  })

  it('leaves queued jobs from an earlier session to the queue; running ones show wherever they came from', () => {
    const jobs = [
      job({ id: 'job_old_queued', status: 'queued' }),
      job({ id: 'job_old_running', status: 'running', startedAt: T0 }),
      job({ id: 'job_new', status: 'queued' }),
    ]
    const here = ctx({ watch: { ...NO_JOB_WATCH, requested: new Set(['job_new']) } })
    expect(derivePlaceholders(jobs, here).map((p) => p.job.id)).toEqual(['job_old_running', 'job_new'])
  })

  it('shows the newest MAX_PLACEHOLDERS at most, the last one counting the rest that wait in the queue', () => {
    // A paused queue of 500 single prompts (the renderer benchmark's) must not bury the gallery.
    const presses = Array.from({ length: 500 }, (_, i) => job({ id: `job_${String(i).padStart(3, '0')}`, status: 'queued' }))
    const shown = derivePlaceholders(presses, ctx({ queuePaused: true }))
    expect(shown).toHaveLength(MAX_PLACEHOLDERS)
    expect(shown[0]!.job.id).toBe('job_000')
    expect(shown.slice(0, -1).every((p) => p.more === undefined)).toBe(true)
    expect(shown.at(-1)!.more).toBe(500 - MAX_PLACEHOLDERS + 1)
    // At the limit exactly, no tile is spent on "more".
    expect(derivePlaceholders(presses.slice(0, MAX_PLACEHOLDERS), ctx()).some((p) => p.more !== undefined)).toBe(false)
  })

  it('says what each is waiting for', () => {
    expect(labels([job({ status: 'queued' })])).toEqual(['Queued'])
    expect(labels([job({ status: 'queued' })], ctx({ queuePaused: true }))).toEqual(['Queued · the queue is paused'])
    expect(labels([job({ status: 'queued', heldReason: 'The daily budget of $5.00 is spent.' })])).toEqual(['Held: The daily budget of $5.00 is spent.'])
    expect(labels([job({ status: 'running', startedAt: T0 })])).toEqual(['Running'])
    expect(labels([job({ status: 'running', startedAt: T0, polling: true })])).toEqual(['Waiting for a task'])
    expect(labels([job({ status: 'queued', error: { kind: 'retryable', code: '429', message: 'Too many requests' } })])).toEqual([
      'Queued · retrying after an error',
    ])
  })

  it('keeps a finished job’s tiles until its images are in the gallery, then lets them go', () => {
    const done = job({ id: 'job_done', status: 'succeeded', n: 2, imageIds: ['img_1', 'img_2'] })
    const landing = watched({ landing: new Set(['job_done']) })
    expect(keys([done], ctx({ watch: landing }))).toEqual(['pending:job_done:0', 'pending:job_done:1'])
    expect(labels([done], ctx({ watch: landing, loaded: new Set(['img_1']) }))).toEqual(['Saving…'])
    expect(keys([done], ctx({ watch: landing, loaded: new Set(['img_1', 'img_2']) }))).toEqual([])
    // Seen finished on an earlier visit (not landing now): nothing.
    expect(keys([done])).toEqual([])
  })

  it('shows a failure seen in this page once per job, until dismissed; older failures stay in the queue', () => {
    const failed = job({ id: 'job_bad', status: 'failed', n: 4, error: { kind: 'auth', code: '401', message: 'The key was refused.' } })
    expect(keys([failed])).toEqual([])
    const seen = watched({ failed: new Set(['job_bad']) })
    const shown = derivePlaceholders([failed], ctx({ watch: seen }))
    expect(shown.map((p) => [p.key, p.state])).toEqual([['pending:job_bad:0', 'failed']])
    expect(keys([failed], ctx({ watch: { ...seen, dismissed: new Set(['job_bad']) } }))).toEqual([])
    // Retried: queued again, its images are on the way again.
    expect(keys([{ ...failed, status: 'queued', error: null }], ctx({ watch: seen }))).toHaveLength(4)
  })

  it('shows only where no filter would leave the image out', () => {
    const mug = job({ prompt: 'Ceramic MUG on a café table', provider: 'demo', keyLabel: 'studio', size: '1024x1024', batchId: 'batch_1', createdAt: new Date(2026, 2, 10, 12).getTime() })
    const admits = (f: Partial<typeof NO_FILTERS>): boolean => admitsJob({ ...NO_FILTERS, ...f }, mug)
    expect(admits({})).toBe(true)
    expect(admits({ search: 'mug caf' })).toBe(true)
    expect(admits({ search: 'cafe' })).toBe(true)
    expect(admits({ search: 'teapot' })).toBe(false)
    expect(admits({ search: 'ug' })).toBe(false)
    expect(admits({ provider: 'demo', keyLabel: 'studio', size: '1024x1024', batchId: 'batch_1' })).toBe(true)
    expect(admits({ provider: 'openai' })).toBe(false)
    expect(admits({ keyLabel: 'client' })).toBe(false)
    expect(admits({ size: '1536x1024' })).toBe(false)
    expect(admits({ batchId: 'batch_2' })).toBe(false)
    expect(admits({ from: '2026-03-10', to: '2026-03-10' })).toBe(true)
    expect(admits({ to: '2026-03-09' })).toBe(false)
    expect(admits({ from: '2026-03-11' })).toBe(false)
    // A new image has no tags and is no favorite yet.
    expect(admits({ tag: 'Hero shot' })).toBe(false)
    expect(admits({ favorite: true })).toBe(false)
  })
})

describe('arranging the gallery', () => {
  const press = [
    image({ id: 'img_wide', jobId: 'job_wide', groupId: 'batch_p', width: 1536, height: 1024, prompt: 'Poster', jobCost: { estimated: 0.06, charged: 0.05, currency: 'USD' } }),
    image({ id: 'img_sq', jobId: 'job_sq', groupId: 'batch_p', prompt: 'Poster', jobCost: { estimated: 0.04, charged: 0.04, currency: 'USD' } }),
  ]
  const pair = [
    image({ id: 'img_p1', jobId: 'job_pair', groupId: 'job_pair', prompt: 'Mug', jobCost: { estimated: 0.08, charged: null, currency: 'USD' } }),
    image({ id: 'img_p2', jobId: 'job_pair', groupId: 'job_pair', prompt: 'Mug', jobCost: { estimated: 0.08, charged: null, currency: 'USD' } }),
  ]
  const other = image({ id: 'img_other', jobId: 'job_other', groupId: 'job_other', prompt: 'Teapot' })

  it('flat: placeholders first, then the images newest first, under no header', () => {
    const pending = derivePlaceholders([job({ id: 'job_new' })], ctx())
    const sections = arrangeGallery([press[0]!, other, press[1]!], pending, false)
    expect(sections).toHaveLength(1)
    expect(sections[0]!.summary).toBeNull()
    expect(flatItems(sections).map((i) => i.key)).toEqual(['pending:job_new:0', 'img_wide', 'img_other', 'img_sq'])
    expect(arrangeGallery([], [], false)).toEqual([])
  })

  it('grouped: one section per generation in order of its newest image, with prompt, count, sizes and cost', () => {
    // Another job's image landed between the two sizes of the press: the press still reads as one.
    const sections = arrangeGallery([press[0]!, other, press[1]!, ...pair], [], true)
    expect(sections.map((s) => s.key)).toEqual(['batch_p', 'job_other', 'job_pair'])
    expect(sections[0]!.items.map((i) => i.key)).toEqual(['img_wide', 'img_sq'])
    expect(sections[0]!.summary).toEqual({
      prompt: 'Poster',
      images: 2,
      pending: 0,
      sizes: ['1536x1024', '1024x1024'],
      costs: [{ currency: 'USD', amount: 0.09, estimated: false, unknown: false }],
    })
    // Two images of one job: its cost counts once; not charged yet, so the estimate.
    expect(sections[2]!.summary?.costs).toEqual([{ currency: 'USD', amount: 0.08, estimated: true, unknown: false }])
    expect(sections[2]!.summary?.images).toBe(2)
  })

  it('grouped: a generation on its way comes first, its landed images beside its placeholders', () => {
    const running = [
      job({ id: 'job_wide', batchId: 'batch_p', status: 'succeeded', imageIds: ['img_wide'] }),
      job({ id: 'job_sq', batchId: 'batch_p', status: 'running', startedAt: T0, size: '1024x1024', estimatedCost: 0.04, chargedCost: null }),
    ]
    const pending = derivePlaceholders(running, ctx())
    const sections = arrangeGallery([other, press[0]!], pending, true)
    expect(sections.map((s) => s.key)).toEqual(['batch_p', 'job_other'])
    expect(sections[0]!.items.map((i) => i.key)).toEqual(['pending:job_sq:0', 'img_wide'])
    expect(sections[0]!.summary).toMatchObject({ images: 1, pending: 1, sizes: ['1536x1024', '1024x1024'] })
    expect(sections[0]!.summary?.costs).toEqual([{ currency: 'USD', amount: 0.05 + 0.04, estimated: true, unknown: false }])
  })

  it('adds costs per currency and says when a price is unknown', () => {
    const totals = costTotals(
      new Map([
        ['a', { estimated: 0.1, charged: 0.2, currency: 'USD' }],
        ['b', { estimated: null, charged: null, currency: 'USD' }],
        ['c', { estimated: 1.5, charged: null, currency: 'EUR' }],
      ]),
    )
    expect(totals).toEqual([
      { currency: 'USD', amount: 0.2, estimated: false, unknown: true },
      { currency: 'EUR', amount: 1.5, estimated: true, unknown: false },
    ])
  })
})
