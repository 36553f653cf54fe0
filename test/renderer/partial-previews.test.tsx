import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImageView, JobPartialImage, JobView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider, estimateFor, image, job } from './fake-api'
import { sizeBox } from './size-picker'

/**
 * Partial images on the placeholder tile: a streaming provider's rough drafts show under the
 * tile's status and progress as they arrive, a tile that mounts late asks for the latest one, and
 * the final image replaces the tile when it lands. The prompt bar offers the control only for
 * providers that stream.
 */
afterEach(cleanup)

const T0 = 1_767_225_600_000
// A real 1x1 webp, so the preview is an image a browser could show.
const WEBP = 'data:image/webp;base64,UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=='

const partial = (jobId: string, partialIndex: number, preview = WEBP): JobPartialImage => ({ jobId, imageIndex: 0, partialIndex, preview, width: 256, height: 256 })

function setup(jobs: JobView[], opts: { latest?: JobPartialImage | null; images?: ImageView[]; streaming?: boolean; also?: boolean } = {}) {
  const library = { jobs, images: opts.images ?? [] }
  // `also`: a second provider, which does not stream, to switch to.
  const others = opts.also ? [demoProvider({ id: 'plain', name: 'Plain' })] : []
  const api = createFakeApi({
    'providers.list': () => ({ providers: [demoProvider({ streaming: opts.streaming ?? false }), ...others] }),
    'jobs.list': () => ({ jobs: library.jobs }),
    'jobs.partialPreview': () => ({ partial: opts.latest ?? null }),
    'jobs.estimate': estimateFor,
    'jobs.generate': (input) => ({ batchId: null, jobs: [], estimate: estimateFor(input) }),
    'gallery.list': () => ({ images: library.images, next: null, total: library.images.length }),
    'gallery.get': ({ id }) => library.images.find((i) => i.id === id)!,
    'workspace.get': () => ({ draft: null, layout: {} }),
    'workspace.save': () => ({ ok: true }),
  })
  render(<App api={api} />)
  return { api, library, gallery: screen.getByRole('region', { name: 'Gallery' }) }
}

const running = job({ id: 'job_stream', prompt: 'Teapot', status: 'running', createdAt: T0, startedAt: Date.now(), typicalLatencyMs: 60_000 })

describe('partial previews on placeholder tiles', () => {
  it('show the latest partial under the status and progress, and give way to the final image', async () => {
    const { api, library, gallery } = setup([running])
    const tile = await within(gallery).findByText('Running').then((el) => el.closest<HTMLElement>('[role="gridcell"]')!)
    expect(within(tile).queryByRole('img')).toBeNull()

    act(() => api.emit('job.partial', partial('job_stream', 0)))
    const shown = await within(tile).findByRole('img', { name: 'Partial preview 1 of 1024x1024' })
    expect(shown.getAttribute('src')).toBe(WEBP)
    // Still a placeholder: its status and progress stay on it.
    expect(within(tile).getByText('Running')).toBeTruthy()
    expect(within(tile).getByRole('progressbar')).toBeTruthy()
    expect(tile.querySelector('[aria-busy="true"]')).toBeTruthy()

    act(() => api.emit('job.partial', partial('job_stream', 2)))
    await within(tile).findByRole('img', { name: 'Partial preview 3 of 1024x1024' })
    // A late, older partial does not take the newer one's place; another job's is not shown here.
    act(() => api.emit('job.partial', partial('job_stream', 1)))
    act(() => api.emit('job.partial', partial('job_other', 3)))
    expect(within(tile).getByRole('img').getAttribute('alt')).toBe('Partial preview 3 of 1024x1024')

    library.images = [image({ id: 'img_final', jobId: 'job_stream', prompt: 'Teapot', createdAt: T0 + 1 })]
    act(() => api.emit('job.updated', { ...running, status: 'succeeded', imageIds: ['img_final'], finishedAt: T0 + 2 }))
    await waitFor(() => expect(within(gallery).queryByRole('img', { name: /Partial preview/ })).toBeNull())
    expect(within(gallery).getByRole('img', { name: 'Teapot' })).toBeTruthy()
    expect(within(gallery).queryByRole('progressbar')).toBeNull()
  })

  it('a tile that mounts after partials came asks for the latest one', async () => {
    const { api, gallery } = setup([running], { latest: partial('job_stream', 1) })
    await within(gallery).findByRole('img', { name: 'Partial preview 2 of 1024x1024' })
    expect(api.callsTo('jobs.partialPreview')).toEqual([{ id: 'job_stream' }])
  })

  it('only the tile of the image being made shows it, when a job makes several', async () => {
    const { api, gallery } = setup([{ ...running, n: 3 }])
    await waitFor(() => expect(within(gallery).getAllByText('Running')).toHaveLength(3))
    act(() => api.emit('job.partial', partial('job_stream', 0)))
    await within(gallery).findByRole('img', { name: 'Partial preview 1 of 1024x1024' })
    expect(within(gallery).getAllByRole('img', { name: /Partial preview/ })).toHaveLength(1)
  })
})

describe('Partial previews in More options', () => {
  async function openMoreOptions(): Promise<void> {
    await waitFor(() => expect(sizeBox('1024x1024').checked).toBe(true))
    fireEvent.click(screen.getByRole('button', { name: /More options/ }))
  }

  it('is offered for a provider that streams, and sends the count with Generate', async () => {
    const { api } = setup([], { streaming: true })
    await openMoreOptions()
    fireEvent.change(screen.getByRole('combobox', { name: 'Partial previews' }), { target: { value: '2' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'A teapot, streamed' } })
    const generate = screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement
    await waitFor(() => expect(generate.disabled).toBe(false))
    fireEvent.click(generate)
    await waitFor(() => expect(api.callsTo('jobs.generate')).toEqual([expect.objectContaining({ partialImages: 2 })]))
  })

  it('is not offered for a provider that does not stream, and nothing is sent', async () => {
    const { api } = setup([])
    await openMoreOptions()
    expect(screen.getByRole('combobox', { name: 'Quality' })).toBeTruthy()
    expect(screen.queryByRole('combobox', { name: 'Partial previews' })).toBeNull()
    fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'A teapot' } })
    const generate = screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement
    await waitFor(() => expect(generate.disabled).toBe(false))
    fireEvent.click(generate)
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    expect(api.callsTo('jobs.generate')[0]).not.toHaveProperty('partialImages')
  })

  it('is never sent to another provider: switching away drops it from the request, switching back restores it', async () => {
    const { api } = setup([], { streaming: true, also: true })
    await openMoreOptions()
    fireEvent.change(screen.getByRole('combobox', { name: 'Partial previews' }), { target: { value: '3' } })
    fireEvent.change(screen.getByRole('combobox', { name: 'Provider' }), { target: { value: 'plain' } })
    await waitFor(() => expect(screen.queryByRole('combobox', { name: 'Partial previews' })).toBeNull())
    fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'A teapot' } })
    const generate = screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement
    await waitFor(() => expect(generate.disabled).toBe(false))
    fireEvent.click(generate)
    await waitFor(() => expect(api.callsTo('jobs.generate')).toHaveLength(1))
    expect(api.callsTo('jobs.generate')[0]).toMatchObject({ provider: 'plain' })
    expect(api.callsTo('jobs.generate')[0]).not.toHaveProperty('partialImages')
    expect(api.callsTo('jobs.estimate').filter((e) => (e as { provider: string }).provider === 'plain').every((e) => !('partialImages' in (e as object)))).toBe(true)

    fireEvent.change(screen.getByRole('combobox', { name: 'Provider' }), { target: { value: 'demo' } })
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Partial previews' }) as HTMLSelectElement).value).toBe('3'))
  })
})
