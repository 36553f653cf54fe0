import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImageView, JobView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { MAX_PLACEHOLDERS } from '../../src/renderer/src/gallery/placeholders'
import { createFakeApi, estimateFor, image, job } from './fake-api'

afterEach(cleanup)

const T0 = 1_767_225_600_000

/** An engine with these jobs in its queue and these images in its gallery (both may change). */
function setup(jobs: JobView[], images: ImageView[] = [], pressed: JobView[] = []) {
  const library = { jobs, images }
  const api = createFakeApi({
    // What a Generate press queues (the form's prompt and size do not matter here).
    'jobs.generate': (input) => ({ batchId: null, jobs: pressed, estimate: estimateFor(input) }),
    'jobs.list': () => ({ jobs: library.jobs }),
    'gallery.list': () => ({ images: library.images, next: null, total: library.images.length }),
    'gallery.get': ({ id }) => library.images.find((i) => i.id === id)!,
    'jobs.retry': ({ id }) => ({ ...library.jobs.find((j) => j.id === id)!, status: 'queued', error: null }),
    'workspace.get': () => ({ draft: null, layout: {} }),
    'workspace.save': () => ({ ok: true }),
  })
  render(<App api={api} />)
  const gallery = screen.getByRole('region', { name: 'Gallery' })
  return { api, library, gallery }
}

/** Presses Generate in the prompt bar, as a designer does, and waits for the call. */
async function pressGenerate(api: ReturnType<typeof createFakeApi>): Promise<void> {
  fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'Something new' } })
  const generate = screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement
  await waitFor(() => expect(generate.disabled).toBe(false))
  fireEvent.click(generate)
  await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
}

const tiles = (gallery: HTMLElement): string[] =>
  within(gallery)
    .getAllByRole('gridcell')
    .map((cell) => cell.querySelector('img')?.alt ?? cell.querySelector('.placeholder-status')?.textContent ?? '?')

describe('placeholder tiles', () => {
  it('stand in at the top for each image a Generate press has on its way, and turn into the images', async () => {
    const running = job({ id: 'job_run', prompt: 'Teapot', n: 2, status: 'running', createdAt: T0, startedAt: Date.now() - 5_000, typicalLatencyMs: 20_000 })
    const queued = job({ id: 'job_wait', prompt: 'Mug', createdAt: T0 - 1 })
    // A SKU batch of many rows stays in the queue drawer.
    const rows = Array.from({ length: 50 }, (_, i) => job({ id: `job_row${i}`, batchId: 'batch_sku', batchRow: i + 1, createdAt: T0 - 10 - i }))
    // Queued in an earlier session: it waits in the queue, not on top of the gallery.
    const earlier = job({ id: 'job_earlier', prompt: 'Vase', createdAt: T0 - 5 })
    const old = image({ id: 'img_old', prompt: 'An older packshot', createdAt: T0 - 100 })
    const { api, library, gallery } = setup([running, earlier, ...rows], [old], [queued])
    await waitFor(() => expect(tiles(gallery)).toEqual(['Running', 'Running', 'An older packshot']))
    await pressGenerate(api)

    await waitFor(() => expect(tiles(gallery)).toEqual(['Running', 'Running', 'Queued', 'An older packshot']))
    const bars = within(gallery).getAllByRole('progressbar')
    expect(bars).toHaveLength(3)
    // Running: how far along, against the provider's typical time. Queued: busy, no value yet.
    expect(Number(bars[0]!.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(25)
    expect(bars[2]!.hasAttribute('aria-valuenow')).toBe(false)
    expect(bars[2]!.closest('[aria-busy="true"]')).toBeTruthy()
    // Reachable from the keyboard like any tile.
    const first = within(gallery).getAllByRole('gridcell')[0]!
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowRight' })
    expect(document.activeElement).toBe(within(gallery).getAllByRole('gridcell')[1])

    const made = [image({ id: 'img_t1', jobId: 'job_run', prompt: 'Teapot', createdAt: T0 + 1 }), image({ id: 'img_t2', jobId: 'job_run', prompt: 'Teapot', createdAt: T0 + 2 })]
    library.images = [...made, old]
    act(() => api.emit('job.updated', { ...running, status: 'succeeded', imageIds: ['img_t1', 'img_t2'], finishedAt: T0 + 3 }))
    await waitFor(() => expect(tiles(gallery)).toEqual(['Queued', 'Teapot', 'Teapot', 'An older packshot']))
  })

  it('shows a failure with its message, Retry and Dismiss', async () => {
    const bad = job({ id: 'job_bad', prompt: 'Poster', status: 'running', startedAt: Date.now() })
    const { api, gallery } = setup([bad])
    await waitFor(() => expect(tiles(gallery)).toEqual(['Running']))
    const failed = { ...bad, status: 'failed' as const, error: { kind: 'auth' as const, code: '401', message: 'The provider refused the key.' } }
    act(() => api.emit('job.updated', failed))
    const cell = await within(gallery).findByText('The provider refused the key.')
    const tile = cell.closest<HTMLElement>('[role="gridcell"]')!
    expect(within(tile).queryByRole('progressbar')).toBeNull()

    fireEvent.click(within(tile).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(api.callsTo('jobs.retry')).toEqual([{ id: 'job_bad' }]))
    await waitFor(() => expect(tiles(gallery)).toEqual(['Queued']))

    act(() => api.emit('job.updated', failed))
    await within(gallery).findByText('The provider refused the key.')
    fireEvent.click(within(gallery).getByRole('button', { name: 'Dismiss' }))
    await within(gallery).findByText('No images yet — write a prompt and press Generate.')
  })

  it('show the newest 24 at most, the last one counting the rest and opening the queue', async () => {
    const many = Array.from({ length: 30 }, (_, i) => job({ id: `job_${i}`, prompt: `Shot ${i}`, createdAt: T0 - i }))
    const { api, gallery } = setup([], [], many)
    await pressGenerate(api)
    await waitFor(() => expect(tiles(gallery)[0]).toBe('Queued'))
    // The grid draws only what is in view: End brings the last tile (Ctrl+End: the very last).
    const first = within(gallery).getAllByRole('gridcell')[0]!
    first.focus()
    fireEvent.keyDown(first, { key: 'End', ctrlKey: true })
    const last = document.activeElement as HTMLElement
    expect(last.dataset.index).toBe(String(MAX_PLACEHOLDERS - 1))
    expect(last.textContent).toContain(`${30 - MAX_PLACEHOLDERS + 1} more images on their way`)
    fireEvent.click(within(last).getByRole('button', { name: 'Open the queue' }))
    expect(screen.getByRole('button', { name: 'Queue' }).getAttribute('aria-expanded')).toBe('true')
    expect(screen.getByRole('region', { name: 'Queue' })).toBeTruthy()
  })

  it('hide while a filter would leave their image out', async () => {
    const { api, gallery } = setup([], [], [job({ id: 'job_mug', prompt: 'Ceramic mug' })])
    await pressGenerate(api)
    await waitFor(() => expect(tiles(gallery)).toEqual(['Queued']))
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'teapot' } })
    await within(gallery).findByText('No images match these filters.')
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'cera' } })
    await waitFor(() => expect(tiles(gallery)).toEqual(['Queued']))
  })
})

describe('gallery layout controls', () => {
  const press = [
    image({ id: 'img_w', jobId: 'job_w', groupId: 'batch_p', prompt: 'Poster for a sale', width: 1536, height: 1024, createdAt: T0, jobCost: { estimated: 0.06, charged: 0.05, currency: 'USD' } }),
    image({ id: 'img_s', jobId: 'job_s', groupId: 'batch_p', prompt: 'Poster for a sale', createdAt: T0 - 1, jobCost: { estimated: 0.04, charged: 0.04, currency: 'USD' } }),
    image({ id: 'img_m', jobId: 'job_m', groupId: 'job_m', prompt: 'Mug', createdAt: T0 - 2, jobCost: { estimated: 0.04, charged: null, currency: 'USD' } }),
  ]

  it('groups images by generation under a header with prompt, count, sizes and cost, and remembers the choice', async () => {
    const { api, gallery } = setup([], press)
    await within(gallery).findByRole('img', { name: 'Mug' })
    expect(within(gallery).queryByRole('rowheader')).toBeNull()
    const grouped = within(gallery).getByRole('button', { name: 'Grouped' })
    expect(grouped.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(grouped)
    expect(grouped.getAttribute('aria-pressed')).toBe('true')
    const headers = within(gallery).getAllByRole('rowheader')
    expect(headers.map((h) => h.textContent)).toEqual(['Poster for a sale2 images1536x1024, 1024x1024charged $0.09Compare all', 'Mug1 image1024x1024est. $0.04'])
    expect(api.callsTo('workspace.save')).toContainEqual({ layout: { galleryGrouped: true } })
    fireEvent.click(within(gallery).getByRole('button', { name: 'Flat' }))
    expect(within(gallery).queryByRole('rowheader')).toBeNull()
  })

  it('sizes tiles with the "Tile size" slider, through the layout store that remembers it', async () => {
    const { api, gallery } = setup([], press)
    await within(gallery).findByRole('img', { name: 'Mug' })
    const slider = within(gallery).getByRole('slider', { name: 'Tile size' })
    const grid = within(gallery).getByRole('grid', { name: 'Images' })
    expect(slider.getAttribute('aria-valuetext')).toBe('280 px')
    expect(grid.getAttribute('aria-colcount')).toBe('3')
    fireEvent.change(slider, { target: { value: '0' } })
    expect(slider.getAttribute('aria-valuetext')).toBe('160 px')
    expect(grid.getAttribute('aria-colcount')).toBe('5')
    fireEvent.change(slider, { target: { value: '6' } })
    expect(grid.getAttribute('aria-colcount')).toBe('1')
    expect(api.callsTo('workspace.save').slice(-2)).toEqual([{ layout: { tileSize: 160 } }, { layout: { tileSize: 480 } }])
  })
})
