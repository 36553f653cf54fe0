/**
 * The Queue list at scale and the queue's smaller promises: 500 jobs keep the page small (only a
 * window of rows is drawn), older pages load as the list is scrolled, the counts are the engine's,
 * and what a row or the region says stays true (paused, rows × sizes, stale news).
 */
import { act, cleanup, fireEvent, render, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Input, JobView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createQueueStore } from '../../src/renderer/src/queue/queue-store'
import { chunksOf, revealTop, rowOffsets, visibleRange } from '../../src/renderer/src/queue/row-layout'
import { progressTitle } from '../../src/shared/queue/work-progress'
import { createFakeApi, job, queueState } from './fake-api'
import { openQueue } from './open-queue'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  window.localStorage.clear()
})

/** `count` single queued jobs, newest first, as the engine lists them. */
function manyJobs(count: number): JobView[] {
  return Array.from({ length: count }, (_, i) =>
    job({ id: `job_${String(count - i).padStart(4, '0')}`, prompt: `Product shot ${count - i}`, createdAt: 1_700_000_000_000 + (count - i) * 1000 }),
  )
}

/** jobs.list over `all` the way the engine pages it (newest first, `before` a cursor). */
function pagedList(all: JobView[]) {
  return (input: Input<'jobs.list'>) => {
    const start = input.before ? all.findIndex((j) => j.id === input.before!.id) + 1 : 0
    const jobs = all.slice(start, start + (input.limit ?? 100))
    const end = start + jobs.length
    return { jobs, next: end < all.length ? { createdAt: jobs.at(-1)!.createdAt, id: jobs.at(-1)!.id } : null }
  }
}

const counts = (queued: number) => ({ ...queueState(true), counts: { ...queueState().counts, queued } })

describe('Queue list: windowed', () => {
  it('draws a window of 500 queued jobs, says the true counts, and loads older pages as it scrolls', async () => {
    const all = manyJobs(500)
    const api = createFakeApi({ 'jobs.list': pagedList(all), 'queue.state': () => counts(500) })
    render(<App api={api} />)
    const queue = openQueue()
    const list = await within(queue).findByRole('list', { name: 'Jobs' })
    // The engine's count, though only the first page is loaded.
    await within(queue).findByText('500 queued')
    expect(api.callsTo('jobs.list')[0]).toEqual({ limit: 100 })
    const drawn = () => within(list).getAllByRole('listitem')
    expect(drawn().length).toBeGreaterThan(3)
    expect(drawn().length).toBeLessThan(20)
    expect(drawn()[0]!.getAttribute('aria-setsize')).toBe(String(100))
    expect(document.querySelectorAll('*').length).toBeLessThan(600)

    // Scrolled to the end of what is loaded: the next page is asked for, and later rows are drawn.
    const scroller = list.parentElement!
    scroller.scrollTop = 99 * 80
    fireEvent.scroll(scroller)
    await waitFor(() => expect(api.callsTo('jobs.list')).toContainEqual({ limit: 100, before: { createdAt: all[99]!.createdAt, id: all[99]!.id } }))
    await within(list).findByText('Product shot 401')
    // Rows between are not drawn; the first row stays, as the one Tab comes back to.
    expect(within(list).queryByText('Product shot 450')).toBeNull()
    expect(within(list).getByText('Product shot 500')).toBeTruthy()
    expect(drawn().length).toBeLessThan(20)
  })

  it('End and Home reach the last and first loaded rows, drawing them, and Tab still finds the list', async () => {
    const api = createFakeApi({ 'jobs.list': pagedList(manyJobs(60)), 'queue.state': () => counts(60) })
    render(<App api={api} />)
    const list = await within(openQueue()).findByRole('list', { name: 'Jobs' })
    const first = within(list).getAllByRole('listitem')[0]!
    expect(first.tabIndex).toBe(0)
    first.focus()
    fireEvent.keyDown(first, { key: 'End' })
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Product shot 1'))
    const last = document.activeElement as HTMLElement
    expect(last.getAttribute('aria-posinset')).toBe('60')
    expect(last.tabIndex).toBe(0)
    fireEvent.keyDown(last, { key: 'Home' })
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Product shot 60'))
    fireEvent.keyDown(document.activeElement!, { key: 'PageDown' })
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-posinset')).not.toBe('1'))
  })

  it('keeps a batch whole in its group, nested as a list of its jobs, and collapses it to one row', async () => {
    const batch = Array.from({ length: 40 }, (_, i) =>
      job({ id: `job_b${String(i).padStart(2, '0')}`, batchId: 'batch_big', prompt: 'Linen shirt', size: `${1024 + i * 16}x1024`, createdAt: 10 + i }),
    )
    render(<App api={createFakeApi({ 'jobs.list': () => ({ jobs: batch, next: null }) })} />)
    const queue = openQueue()
    const group = await within(queue).findByRole('listitem', { name: 'Linen shirt' })
    expect(group.textContent).toContain('40 sizes')
    expect(group.textContent).toContain('0 done · 40 remaining')
    const jobs = within(group).getByRole('list', { name: 'Jobs of Linen shirt' })
    expect(within(jobs).getAllByRole('listitem').length).toBeLessThan(15)
    fireEvent.click(within(group).getByRole('button', { name: /Linen shirt/, expanded: true }))
    await waitFor(() => expect(within(queue).queryByRole('list', { name: 'Jobs of Linen shirt' })).toBeNull())
  })
})

describe('Queue rows say what is true', () => {
  it('labels a CSV batch by rows × sizes, not "8 jobs · 8 sizes"', async () => {
    const jobs = [1, 2, 3, 4].flatMap((row) =>
      ['1024x1024', '1536x1024'].map((size, i) =>
        job({ id: `job_${row}_${i}`, batchId: 'batch_csv', batchRow: row, prompt: `Product ${row} on white`, size, createdAt: row * 10 + i }),
      ),
    )
    render(<App api={createFakeApi({ 'jobs.list': () => ({ jobs, next: null }) })} />)
    const queue = openQueue()
    const group = await within(queue).findByRole('listitem', { name: 'Batch: 4 rows × 2 sizes · 8 jobs' })
    expect(group.textContent).not.toContain('8 sizes')
  })

  it('says a queued job waits for Resume all while the queue is paused, and for a free slot once it runs again', async () => {
    let paused = true
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [job({ id: 'job_p', prompt: 'Poster draft' })], next: null }),
      'queue.state': () => queueState(paused),
      'queue.resume': () => queueState((paused = false)),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const row = await within(queue).findByRole('listitem')
    await within(row).findByText('Paused: waits for Resume all')
    expect(within(row).queryByText('Waiting for a free slot')).toBeNull()
    fireEvent.click(within(queue).getByRole('button', { name: 'Resume all' }))
    await within(row).findByText('Waiting for a free slot')
  })
})

describe('Queue news stays current', () => {
  const PROMPT = 'Ceramic vase, studio light'
  const pair = () => [
    job({ id: 'job_a', batchId: 'batch_1', prompt: PROMPT, size: '1024x1024', createdAt: 1 }),
    job({ id: 'job_b', batchId: 'batch_1', prompt: PROMPT, size: '1536x1024', createdAt: 2 }),
  ]

  it('goes idle when the rest is held, even if the Generate reply arrives after the events; the rows keep the newer state', async () => {
    const [a, b] = pair()
    const api = createFakeApi({})
    const store = createQueueStore(api)
    const stop = store.getState().start()
    await store.getState().load()
    // The engine announces both jobs, runs one and holds the other before its reply lands.
    api.emit('job.updated', a!)
    api.emit('job.updated', b!)
    api.emit('job.updated', { ...a!, status: 'running', startedAt: Date.now() })
    api.emit('job.updated', { ...a!, status: 'succeeded', chargedCost: 0.04 })
    api.emit('job.updated', { ...b!, heldReason: 'Daily budget of $0.05 reached.' })
    expect(store.getState().progress).toBeNull()
    // Generate's reply, still saying "queued" for both (generate-store hands it to addJobs).
    store.getState().addJobs([a!, b!])
    expect(store.getState().progress).toBeNull()
    expect(progressTitle(store.getState().progress)).toBe('Proofsheet')
    const byId = new Map(store.getState().jobs.map((j) => [j.id, j]))
    expect(byId.get('job_a')?.status).toBe('succeeded')
    expect(byId.get('job_b')?.heldReason).toBe('Daily budget of $0.05 reached.')
    // A reply for jobs no event mentioned yet is taken as it is.
    store.getState().addJobs([job({ id: 'job_new', createdAt: 9 })])
    expect(store.getState().progress).toEqual({ done: 0, total: 1, fraction: 0 })
    stop()
  })

  it('clears an old "Batch finished" note when new work starts, and notifies only batches that finish after the switch', async () => {
    const shown: string[] = []
    class FakeNotification {
      static permission: NotificationPermission = 'granted'
      static requestPermission = vi.fn(async () => 'granted' as const)
      constructor(title: string) {
        shown.push(title)
      }
    }
    vi.stubGlobal('Notification', FakeNotification)
    const [a, b] = pair()
    const api = createFakeApi({ 'jobs.list': () => ({ jobs: [a!, b!], next: null }) })
    render(<App api={api} />)
    const queue = openQueue()
    const status = within(queue).getByRole('status')
    await within(queue).findByRole('listitem', { name: PROMPT })
    act(() => api.emit('job.updated', { ...a!, status: 'succeeded', chargedCost: 0.04 }))
    act(() => api.emit('job.updated', { ...b!, status: 'succeeded', chargedCost: 0.04 }))
    await waitFor(() => expect(status.textContent).toContain(`Batch finished: ${PROMPT}`))

    // Turning notifications on now does not announce the batch that finished before.
    fireEvent.click(within(queue).getByRole('checkbox', { name: 'Notify me when batches finish' }))
    await waitFor(() => expect((within(queue).getByRole('checkbox', { name: 'Notify me when batches finish' }) as HTMLInputElement).checked).toBe(true))
    expect(shown).toEqual([])

    // New work starts: the old note goes.
    const c = job({ id: 'job_c', batchId: 'batch_2', prompt: 'Teapot', size: '1024x1024', createdAt: 3 })
    const d = job({ id: 'job_d', batchId: 'batch_2', prompt: 'Teapot', size: '1536x1024', createdAt: 4 })
    act(() => api.emit('job.updated', c))
    act(() => api.emit('job.updated', d))
    await waitFor(() => expect(status.textContent).toBe(''))
    act(() => api.emit('job.updated', { ...c, status: 'succeeded', chargedCost: 0.04 }))
    act(() => api.emit('job.updated', { ...d, status: 'succeeded', chargedCost: 0.04 }))
    await waitFor(() => expect(shown).toEqual(['Batch finished: Teapot']))
    expect(status.textContent).toContain('Batch finished: Teapot')
  })
})

describe('row layout', () => {
  it('places rows from their heights, finds the ones in view and scrolls as little as needed', () => {
    const offsets = rowOffsets([100, 50, 50, 200, 80])
    expect(offsets).toEqual([0, 100, 150, 200, 400, 480])
    expect(visibleRange(offsets, 0, 120, 0)).toEqual({ first: 0, last: 1 })
    expect(visibleRange(offsets, 160, 100, 0)).toEqual({ first: 2, last: 3 })
    expect(visibleRange(offsets, 160, 100, 100)).toEqual({ first: 0, last: 3 })
    expect(visibleRange(rowOffsets([]), 0, 100, 0)).toEqual({ first: 0, last: -1 })
    expect(revealTop(offsets, 4, 0, 200)).toBe(280)
    expect(revealTop(offsets, 0, 280, 200)).toBe(0)
    expect(revealTop(offsets, 3, 200, 200)).toBe(200)
  })

  it('joins consecutive rows of one batch into one chunk, every other row on its own', () => {
    const groups = [null, 'b1', 'b1', 'b1', null, 'b2', 'b2']
    expect(chunksOf([0, 1, 2, 3, 4, 5], (i) => groups[i]!)).toEqual([[0], [1, 2, 3], [4], [5]])
    expect(chunksOf([1, 2, 6], (i) => groups[i]!)).toEqual([[1, 2], [6]])
  })
})
