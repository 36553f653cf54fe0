import { act, cleanup, fireEvent, render, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { JobView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, job, queueState } from './fake-api'
import { openQueue } from './open-queue'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  window.localStorage.clear()
})

const PROMPT = 'Linen shirt on a hanger, white background'

/** One prompt at three sizes (one done, one failed, one running), and a single job. */
function batchOfThree(): JobView[] {
  const base = { batchId: 'batch_7', prompt: PROMPT, estimatedCost: 0.04 }
  return [
    job({ ...base, id: 'job_s', size: '1024x1024', createdAt: 3, status: 'succeeded', attempts: 1, chargedCost: 0.04, startedAt: 1, finishedAt: 2 }),
    job({ ...base, id: 'job_f', size: '1536x1024', createdAt: 4, status: 'failed', attempts: 4, chargedCost: 0, error: { kind: 'provider_down', code: '503', message: 'The provider is down (503).' } }),
    job({ ...base, id: 'job_r', size: '1024x1536', createdAt: 5, status: 'running', attempts: 1, startedAt: Date.now() }),
  ]
}

const single = () => job({ id: 'job_single', prompt: 'Ceramic mug, soft light', createdAt: 1 })

async function queueRegion() {
  render(
    <App
      api={createFakeApi({
        'jobs.list': () => ({ jobs: [...batchOfThree(), single()] }),
      })}
    />,
  )
  const queue = openQueue()
  await within(queue).findByRole('listitem', { name: PROMPT })
  return queue
}

describe('Queue: batches grouped', () => {
  it('shows the jobs of one generation under one header with counts, money and progress; single jobs stay rows', async () => {
    const queue = await queueRegion()
    const list = within(queue).getByRole('list', { name: 'Jobs' })
    const top = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list)
    expect(top).toHaveLength(2)

    const group = within(list).getByRole('listitem', { name: PROMPT })
    expect(group).toBe(top[0])
    expect(group.textContent).toContain('3 sizes')
    expect(group.textContent).toContain('1 done · 1 failed · 1 remaining')
    expect(group.textContent).toContain('est. $0.12 · charged $0.04')
    const bar = within(group).getByRole('progressbar', { name: 'Batch progress' })
    expect(Number(bar.getAttribute('value'))).toBeGreaterThanOrEqual(2 / 3)
    expect(Number(bar.getAttribute('value'))).toBeLessThan(1)

    // Inside, one row per size, in the order they were picked.
    const rows = within(within(group).getByRole('list', { name: `Jobs of ${PROMPT}` })).getAllByRole('listitem')
    expect(rows.map((r) => within(r).getByText(/^\d+x\d+$/).textContent)).toEqual(['1024x1024', '1536x1024', '1024x1536'])
    expect(top[1]!.textContent).toContain('Ceramic mug, soft light')
  })

  it('collapses and expands a group', async () => {
    const queue = await queueRegion()
    const toggle = within(queue).getByRole('button', { name: new RegExp(PROMPT) })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(within(queue).queryByRole('list', { name: `Jobs of ${PROMPT}` })).toBeNull()
    expect(within(queue).getByText('1 done · 1 failed · 1 remaining')).toBeTruthy()
    fireEvent.click(toggle)
    expect(within(queue).getByRole('list', { name: `Jobs of ${PROMPT}` })).toBeTruthy()
  })

  it('Cancel the rest and Retry failed act on the batch, named by its prompt, and show their errors there', async () => {
    let jobs = [...batchOfThree(), single()]
    const api = createFakeApi({
      'jobs.list': () => ({ jobs }),
      'batches.cancel': () => {
        jobs = jobs.map((j) => (j.id === 'job_r' ? { ...j, status: 'canceled' as const } : j))
        return { canceled: 1 }
      },
      'batches.retryFailed': () => {
        throw new (class extends Error {
          code = 'conflict'
          fix = 'Reload the queue.'
        })('Nothing to retry.')
      },
    })
    render(<App api={api} />)
    const queue = openQueue()
    const group = await within(queue).findByRole('listitem', { name: PROMPT })

    const cancelRest = within(group).getByRole('button', { name: 'Cancel the rest', description: PROMPT })
    fireEvent.click(cancelRest)
    await waitFor(() => expect(api.callsTo('batches.cancel')).toEqual([{ batchId: 'batch_7' }]))
    await waitFor(() => expect(group.textContent).toContain('1 done · 1 failed · 1 canceled'))
    expect(within(group).queryByRole('button', { name: 'Cancel the rest' })).toBeNull()

    fireEvent.click(within(group).getByRole('button', { name: 'Retry failed', description: PROMPT }))
    await waitFor(() => expect(api.callsTo('batches.retryFailed')).toEqual([{ batchId: 'batch_7' }]))
    expect((await within(group).findByText('Nothing to retry.')).closest('[role=alert]')).toBeTruthy()
  })

  it('names each job action after its job: a shortened prompt and the size', async () => {
    const queue = await queueRegion()
    expect(within(queue).getByRole('button', { name: "Cancel 'Linen shirt on a hanger…' 1024x1536" })).toBeTruthy()
    expect(within(queue).getByRole('button', { name: "Retry 'Linen shirt on a hanger…' 1536x1024" })).toBeTruthy()
    expect(within(queue).getByRole('button', { name: "Cancel 'Ceramic mug, soft light' 1024x1024" })).toBeTruthy()
    expect(within(queue).queryByRole('button', { name: 'Cancel' })).toBeNull()
  })
})

describe('Queue: status detail', () => {
  it('shows polling for an async job, the attempt count, and why a job is held', async () => {
    const now = Date.now()
    const api = createFakeApi({
      'jobs.list': () => ({
        jobs: [
          job({ id: 'job_poll', prompt: 'Poster draft', status: 'running', attempts: 2, startedAt: now, polling: true, provider: 'toapis' }),
          job({ id: 'job_held', prompt: 'Social cover', heldReason: 'The daily budget of $5.00 is spent.' }),
        ],
      }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const rows = await within(queue).findAllByRole('listitem')
    const polling = rows.find((r) => r.textContent?.includes('Poster draft'))!
    expect(within(polling).getByText(/^Polling the provider · /)).toBeTruthy()
    expect(within(polling).getByText('Attempt 2 of 4')).toBeTruthy()
    const held = rows.find((r) => r.textContent?.includes('Social cover'))!
    expect(within(held).getByText('Held')).toBeTruthy()
    expect(held.textContent).toContain('The daily budget of $5.00 is spent.')
    expect(within(held).queryByText(/^Attempt/)).toBeNull()

    // The task finishes: the row stops saying it polls.
    act(() => api.emit('job.updated', { ...job({ id: 'job_poll', prompt: 'Poster draft', attempts: 2 }), status: 'succeeded', startedAt: now, finishedAt: now + 5000 }))
    await waitFor(() => expect(within(polling).getByText('Succeeded')).toBeTruthy())
    expect(within(polling).queryByText(/Polling the provider/)).toBeNull()
  })
})

describe('Queue: region actions', () => {
  it('Retry all failed retries every failed job; Clear finished asks first', async () => {
    const counts = { ...queueState().counts, failed: 2, canceled: 1 }
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: batchOfThree() }),
      'queue.state': () => ({ paused: false, counts }),
      'queue.retryFailed': () => ({ retried: 2 }),
      'queue.clearFinished': () => ({ ok: true as const }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    await within(queue).findByRole('listitem', { name: PROMPT })

    fireEvent.click(await within(queue).findByRole('button', { name: 'Retry all failed' }))
    await waitFor(() => expect(api.callsTo('queue.retryFailed')).toEqual([{}]))

    fireEvent.click(within(queue).getByRole('button', { name: 'Clear finished' }))
    const confirm = within(queue).getByRole('group', { name: /Remove 3 failed and canceled jobs from the queue\?/ })
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Remove them' }))
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep them' }))
    expect(within(queue).queryByRole('group')).toBeNull()
    expect(api.callsTo('queue.clearFinished')).toEqual([])

    fireEvent.click(within(queue).getByRole('button', { name: 'Clear finished' }))
    fireEvent.keyDown(within(queue).getByRole('button', { name: 'Remove them' }), { key: 'Escape' })
    expect(within(queue).queryByRole('group')).toBeNull()

    fireEvent.click(within(queue).getByRole('button', { name: 'Clear finished' }))
    fireEvent.click(within(queue).getByRole('button', { name: 'Remove them' }))
    await waitFor(() => expect(api.callsTo('queue.clearFinished')).toEqual([{}]))
  })

  it('offers nothing to retry or clear when nothing failed', async () => {
    render(<App api={createFakeApi({ 'jobs.list': () => ({ jobs: [single()] }) })} />)
    const queue = openQueue()
    await within(queue).findByText('Ceramic mug, soft light')
    expect((within(queue).getByRole('button', { name: 'Retry all failed' }) as HTMLButtonElement).disabled).toBe(true)
    expect((within(queue).getByRole('button', { name: 'Clear finished' }) as HTMLButtonElement).disabled).toBe(true)
  })
})

describe('Queue: keyboard', () => {
  it('one item is in the tab order; arrows, Home and End move between rows and batch headers', async () => {
    const queue = await queueRegion()
    const list = within(queue).getByRole('list', { name: 'Jobs' })
    const items = [...list.querySelectorAll<HTMLElement>('[data-queue-item]')]
    // The batch header, its three rows, the single job.
    expect(items).toHaveLength(5)
    expect(items.filter((el) => el.tabIndex === 0)).toEqual([items[0]])

    items[0]!.focus()
    fireEvent.keyDown(items[0]!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(items[1])
    fireEvent.keyDown(items[1]!, { key: 'End' })
    expect(document.activeElement).toBe(items[4])
    fireEvent.keyDown(items[4]!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(items[4])
    fireEvent.keyDown(items[4]!, { key: 'ArrowUp' })
    expect(document.activeElement).toBe(items[3])
    // The focused item is the one Tab comes back to.
    expect(items[3]!.tabIndex).toBe(0)
    expect(items[0]!.tabIndex).toBe(-1)
    // From a button inside a row, the arrows still move between items.
    const retry = within(items[2]!).getByRole('button', { name: /^Retry / })
    retry.focus()
    fireEvent.keyDown(retry, { key: 'Home' })
    expect(document.activeElement).toBe(items[0])
  })
})

describe('Queue: progress and batch notifications', () => {
  const twoQueued = () => [
    job({ id: 'job_a', batchId: 'batch_2', prompt: PROMPT, size: '1024x1024', createdAt: 1 }),
    job({ id: 'job_b', batchId: 'batch_2', prompt: PROMPT, size: '1536x1024', createdAt: 2 }),
  ]

  it('shows the progress in the document title while work runs, and the plain name when idle', async () => {
    const [a, b] = twoQueued()
    const api = createFakeApi({ 'jobs.list': () => ({ jobs: [a!, b!] }) })
    render(<App api={api} />)
    await waitFor(() => expect(document.title).toBe('(0/2) Proofsheet'))
    act(() => api.emit('job.updated', { ...a!, status: 'succeeded', chargedCost: 0.04 }))
    await waitFor(() => expect(document.title).toBe('(1/2) Proofsheet'))
    act(() => api.emit('job.updated', { ...b!, status: 'failed', chargedCost: 0 }))
    await waitFor(() => expect(document.title).toBe('Proofsheet'))
    const queue = openQueue()
    expect(within(queue).getByRole('status').textContent).toBe(`Batch needs attention: ${PROMPT} 1 of 2 succeeded · 1 failed · spent $0.04`)
  })

  it('asks for notification permission only when the toggle is turned on, then notifies when a batch finishes', async () => {
    const shown: Array<{ title: string; options?: NotificationOptions }> = []
    const requestPermission = vi.fn(async () => {
      FakeNotification.permission = 'granted'
      return 'granted' as const
    })
    class FakeNotification {
      static permission: NotificationPermission = 'default'
      static requestPermission = requestPermission
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, options })
      }
    }
    vi.stubGlobal('Notification', FakeNotification)
    const [a, b] = twoQueued()
    const api = createFakeApi({ 'jobs.list': () => ({ jobs: [a!, b!] }) })
    render(<App api={api} />)
    const queue = openQueue()
    const toggle = await within(queue).findByRole('checkbox', { name: 'Notify me when batches finish' })
    expect(requestPermission).not.toHaveBeenCalled()
    expect((toggle as HTMLInputElement).checked).toBe(false)

    fireEvent.click(toggle)
    await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(true))
    expect(requestPermission).toHaveBeenCalledTimes(1)

    act(() => api.emit('job.updated', { ...a!, status: 'succeeded', chargedCost: 0.04 }))
    expect(shown).toEqual([])
    act(() => api.emit('job.updated', { ...b!, status: 'succeeded', chargedCost: 0.04 }))
    await waitFor(() => expect(shown).toHaveLength(1))
    expect(shown[0]).toEqual({ title: `Batch finished: ${PROMPT}`, options: { body: '2 of 2 succeeded · spent $0.08', tag: 'batch_2' } })
  })

  it('says how to unblock notifications when the browser refuses them', async () => {
    class DeniedNotification {
      static permission: NotificationPermission = 'denied'
      static requestPermission = vi.fn(async () => 'denied' as const)
    }
    vi.stubGlobal('Notification', DeniedNotification)
    render(<App api={createFakeApi({})} />)
    const queue = openQueue()
    const toggle = await within(queue).findByRole('checkbox', { name: 'Notify me when batches finish' })
    fireEvent.click(toggle)
    const alert = await within(queue).findByRole('alert')
    expect(alert.textContent).toContain('blocks notifications')
    expect((toggle as HTMLInputElement).checked).toBe(false)
  })
})
