import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../src/renderer/src/App'
import { createFakeApi, image } from './fake-api'

afterEach(cleanup)

describe('Gallery panel', () => {
  it('starts empty with a hint, then shows a new image when gallery.changed arrives', async () => {
    const fresh = image({ id: 'img_new', prompt: 'Packshot of a teapot', width: 1536, height: 1024 })
    const api = createFakeApi({ 'gallery.get': ({ id }) => ({ ...fresh, id }) })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    expect(await within(gallery).findByText('No images yet — write a prompt and press Generate.')).toBeTruthy()

    api.emit('gallery.changed', { added: ['img_new'], removed: [] })
    const img = await within(gallery).findByRole('img', { name: 'Packshot of a teapot' })
    expect(img.getAttribute('src')).toBe('/media/thumbs/2026/01/img_1.webp')
    expect(img.closest('a')?.getAttribute('href')).toBe('/media/images/2026/01/img_1.png')
    expect(within(gallery).getByText('1536 × 1024')).toBeTruthy()

    api.emit('gallery.changed', { added: [], removed: ['img_new'] })
    await waitFor(() => expect(within(gallery).queryByRole('img')).toBeNull())
  })

  it('pages with Load more using the keyset cursor, newest first', async () => {
    const first = [image({ id: 'img_3', prompt: 'third', createdAt: 3 }), image({ id: 'img_2', prompt: 'second', createdAt: 2 })]
    const second = [image({ id: 'img_1', prompt: 'first', createdAt: 1 })]
    const api = createFakeApi({
      'gallery.list': (input) =>
        input.after ? { images: second, next: null } : { images: first, next: { createdAt: 2, id: 'img_2' } },
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByRole('img', { name: 'second' })
    fireEvent.click(within(gallery).getByRole('button', { name: 'Load more' }))
    await within(gallery).findByRole('img', { name: 'first' })
    expect(within(gallery).getAllByRole('img').map((img) => img.getAttribute('alt'))).toEqual(['third', 'second', 'first'])
    expect(api.callsTo('gallery.list').at(-1)).toMatchObject({ after: { createdAt: 2, id: 'img_2' } })
    expect(within(gallery).queryByRole('button', { name: 'Load more' })).toBeNull()
  })

  it('searches prompts', async () => {
    const api = createFakeApi({
      'gallery.list': (input) => ({
        images: input.search === 'mug' ? [image({ prompt: 'A mug' })] : [],
        next: null,
      }),
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByText('No images yet — write a prompt and press Generate.')
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'mug' } })
    await within(gallery).findByRole('img', { name: 'A mug' })
  })
})
