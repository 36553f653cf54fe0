import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, job, queueState } from './fake-api'
import { openQueue } from './open-queue'

afterEach(cleanup)

describe('Queue panel', () => {
  it('shows a charge computed from token usage beside the list price, and a list-price charge as before', async () => {
    const byTokens = job({
      id: 'job_tokens',
      prompt: 'Packshot, white mug',
      status: 'succeeded',
      startedAt: 1,
      finishedAt: 2,
      estimatedCost: 0.042,
      chargedCost: 0.0412,
      chargeBasis: 'tokens',
      usage: { inputTokens: 20, inputTextTokens: 20, inputImageTokens: 0, outputTokens: 1234, totalTokens: 1254 },
    })
    const byTable = job({ id: 'job_table', prompt: 'Lifestyle, oak', status: 'succeeded', startedAt: 1, finishedAt: 2, estimatedCost: 0.125, chargedCost: 0.125, chargeBasis: 'table', usage: null })
    render(<App api={createFakeApi({ 'jobs.list': () => ({ jobs: [byTokens, byTable] }) })} />)
    const rows = await within(openQueue()).findAllByRole('listitem')
    const text = rows.map((r) => r.textContent ?? '')
    expect(text.find((t) => t.includes('white mug'))).toContain('charged $0.0412 from 20 input + 1,234 output tokens · list $0.042')
    const plain = text.find((t) => t.includes('Lifestyle'))
    expect(plain).toContain('charged $0.125')
    expect(plain).not.toContain('tokens')
  })

  it('shows a failed job with the error message, what to do, and Retry', async () => {
    const failed = job({
      id: 'job_failed',
      prompt: 'Lifestyle scene, oak table',
      size: '1536x1024',
      status: 'failed',
      attempts: 1,
      startedAt: 1_700_000_000_000,
      finishedAt: 1_700_000_004_000,
      error: { kind: 'auth', code: '401', message: 'The provider rejected the API key (401).' },
    })
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [failed] }),
      'jobs.retry': ({ id }) => ({ ...failed, id, status: 'queued', error: null }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const row = await within(queue).findByRole('listitem')

    expect(within(row).getByText('Lifestyle scene, oak table')).toBeTruthy()
    expect(within(row).getByText('1536x1024')).toBeTruthy()
    expect(within(row).getByText('Failed')).toBeTruthy()
    const alert = within(row).getByRole('alert')
    expect(alert.textContent).toContain('The provider rejected the API key (401).')
    expect(alert.textContent).toContain('Check the API key for this provider')
    expect(within(row).queryByRole('button', { name: /^Cancel / })).toBeNull()

    fireEvent.click(within(row).getByRole('button', { name: /^Retry / }))
    await waitFor(() => expect(api.callsTo('jobs.retry')).toEqual([{ id: 'job_failed' }]))
    await waitFor(() => expect(within(row).getByText('Queued')).toBeTruthy())
    expect(within(row).queryByRole('alert')).toBeNull()
  })

  it('shows an interrupted job as the engine explains it: what may have been charged, what to check, Retry', async () => {
    // The words the engine's recovery writes (queue/recovery.ts; its own test pins them there).
    const message =
      'Proofsheet stopped while a request for this job was at TokenHub, which may have charged for it without the image ' +
      'reaching Proofsheet. 1 of 3 images were saved and are kept. It was not sent again on its own. Check your TokenHub usage ' +
      'first: a retry asks for the remaining 2 again, which TokenHub charges as a new request.'
    const cut = job({ id: 'job_cut', status: 'interrupted', attempts: 1, n: 3, error: { kind: 'interrupted', code: null, message } })
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [cut] }),
      'jobs.retry': ({ id }) => ({ ...cut, id, status: 'queued', error: null }),
    })
    render(<App api={api} />)
    const row = await within(openQueue()).findByRole('listitem')
    expect(within(row).getByText('Interrupted')).toBeTruthy()
    const alert = within(row).getByRole('alert')
    expect(alert.textContent).toContain('was at TokenHub, which may have charged for it')
    expect(alert.textContent).toContain('1 of 3 images were saved and are kept.')
    expect(alert.textContent).toContain("Check the provider's usage before you press Retry")
    expect(within(row).getByRole('button', { name: /^Cancel / })).toBeTruthy()
    fireEvent.click(within(row).getByRole('button', { name: /^Retry / }))
    await waitFor(() => expect(api.callsTo('jobs.retry')).toEqual([{ id: 'job_cut' }]))
    await waitFor(() => expect(within(row).getByText('Queued')).toBeTruthy())
  })

  it('says on a job row that ToAPIs failed a task upstream and it was resubmitted once, and counts it in the cost', async () => {
    // The words the engine writes (queue/failed-task.ts; test/main/queue/failed-tasks.test.ts pins them).
    const note = 'ToAPIs failed the task upstream; resubmitted once (may be billed twice). A failed task may be billed: up to $0.015 for it, beyond the charge shown.'
    const done = job({
      id: 'job_twice',
      provider: 'toapis',
      status: 'succeeded',
      attempts: 2,
      chargedCost: 0.015,
      estimatedCost: 0.03,
      failedTasks: { count: 1, resubmitted: 1, possibleCost: 0.015, note },
    })
    const api = createFakeApi({ 'jobs.list': () => ({ jobs: [done] }) })
    render(<App api={api} />)
    const row = await within(openQueue()).findByRole('listitem')
    expect(within(row).getByText(note)).toBeTruthy()
    expect(within(row).getByText('charged $0.015 + up to $0.015 for a failed task')).toBeTruthy()
  })

  it('follows job.updated events and offers Cancel while a job runs', async () => {
    const queued = job({ id: 'job_live', prompt: 'Social cover' })
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [queued] }),
      'jobs.cancel': ({ id }) => ({ ...queued, id, status: 'canceled' }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const row = await within(queue).findByRole('listitem')
    expect(within(row).getByText('Queued')).toBeTruthy()

    api.emit('job.updated', { ...queued, status: 'running', attempts: 1, startedAt: Date.now() })
    await waitFor(() => expect(within(row).getByText('Running')).toBeTruthy())
    expect(within(row).getByRole('progressbar')).toBeTruthy()

    fireEvent.click(within(row).getByRole('button', { name: /^Cancel / }))
    await waitFor(() => expect(within(row).getByText('Canceled')).toBeTruthy())
    expect(within(row).getByRole('button', { name: /^Retry / })).toBeTruthy()
  })

  it('shows a failed Cancel on its row, and pauses and resumes the whole queue', async () => {
    const running = job({ id: 'job_r', status: 'running', startedAt: Date.now() })
    let paused = false
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [running] }),
      'jobs.cancel': () => {
        throw new ApiError('conflict', 'The job already finished.', { fix: 'Reload the queue.' })
      },
      'queue.state': () => queueState(paused),
      'queue.pause': () => queueState((paused = true)),
      'queue.resume': () => queueState((paused = false)),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const row = await within(queue).findByRole('listitem')
    fireEvent.click(within(row).getByRole('button', { name: /^Cancel / }))
    const alert = await within(row).findByRole('alert')
    expect(alert.textContent).toContain('The job already finished.')
    expect(alert.textContent).toContain('Reload the queue.')

    fireEvent.click(within(queue).getByRole('button', { name: 'Pause all' }))
    await within(queue).findByRole('button', { name: 'Resume all' })
    expect(within(queue).getByText(/The queue is paused/)).toBeTruthy()
    fireEvent.click(within(queue).getByRole('button', { name: 'Resume all' }))
    await within(queue).findByRole('button', { name: 'Pause all' })
  })

  it('says why when the queue paused itself for a full disk, and Resume all clears it', async () => {
    const pauseReason = {
      code: 'disk_full' as const,
      message: 'The disk holding the library folder /data/lib is full (2 MB free in /data/lib, 8 MB needed).',
    }
    let state: ReturnType<typeof queueState> = { ...queueState(true), pauseReason }
    const api = createFakeApi({
      'queue.state': () => state,
      'queue.resume': () => (state = { ...queueState(false), pauseReason: null }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const note = await within(queue).findByText(/The queue paused itself/)
    expect(note.textContent).toContain(pauseReason.message)
    // The engine sends the code; the app words the fix with its own button.
    expect(note.textContent).toContain('Free some space on that disk, then press Resume all.')
    expect(note.textContent).not.toContain('proofsheet')
    expect(within(queue).queryByText(/queued jobs wait until you press Resume all/)).toBeNull()

    fireEvent.click(within(queue).getByRole('button', { name: 'Resume all' }))
    await within(queue).findByRole('button', { name: 'Pause all' })
    expect(within(queue).queryByText(/The queue paused itself/)).toBeNull()
  })

  it('tells a job the full disk failed to free space, not to report a bug, and that Retry buys it again', async () => {
    const failed = job({
      id: 'job_disk',
      status: 'failed',
      chargedCost: 0.04,
      error: { kind: 'internal', code: 'disk_full', message: 'The provider returned 1 image(s) and charged $0.04, but they could not be saved: the disk is full.' },
    })
    render(<App api={createFakeApi({ 'jobs.list': () => ({ jobs: [failed] }) })} />)
    const row = await within(openQueue()).findByRole('listitem')
    const alert = within(row).getByRole('alert')
    expect(alert.textContent).toContain('charged $0.04, but they could not be saved')
    expect(alert.textContent).toContain('Free some space on that disk, then press Resume all.')
    expect(alert.textContent).toContain('it is bought again')
    expect(alert.textContent).not.toContain('report it')
  })

  it('says so when the queue is empty', async () => {
    render(<App api={createFakeApi({})} />)
    const queue = openQueue()
    expect(await within(queue).findByText('No jobs yet. They appear here when you press Generate.')).toBeTruthy()
  })
})
