import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImageView, Input } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, image, type FakeHandlers } from './fake-api'

afterEach(cleanup)

const T0 = 1_767_225_600_000

/** A library of `n` images served the way the engine serves it: newest first, keyset pages. */
function fakeLibrary(n: number): { handlers: FakeHandlers; all: () => ImageView[] } {
  const made = new Map<number, ImageView>()
  const at = (i: number): ImageView => {
    let found = made.get(i)
    if (!found) {
      const id = `img_${String(i).padStart(6, '0')}`
      found = image({ id, prompt: `Product shot ${i}`, createdAt: T0 - i * 1000, file: `images/2026/01/${id}.png`, thumb: `thumbs/2026/01/${id}.webp` })
      made.set(i, found)
    }
    return found
  }
  const list = (input: Input<'gallery.list'>) => {
    const limit = input.limit ?? 60
    const start = input.after ? (T0 - input.after.createdAt) / 1000 + 1 : 0
    const images = Array.from({ length: Math.max(0, Math.min(limit, n - start)) }, (_, k) => at(start + k))
    const last = images.at(-1)
    return {
      images,
      next: start + limit < n && last ? { createdAt: last.createdAt, id: last.id } : null,
      ...(input.after ? {} : { total: n }),
    }
  }
  return {
    handlers: {
      'gallery.list': list,
      'gallery.ids': () => ({ ids: Array.from({ length: n }, (_, i) => at(i).id) }),
      'gallery.favorite': ({ id, favorite }) => ({ ...[...made.values()].find((m) => m.id === id)!, favorite }),
    },
    all: () => [...made.values()],
  }
}

const cellOf = (name: string): HTMLElement => screen.getByRole('img', { name }).closest<HTMLElement>('[role="gridcell"]')!
const selectedNames = (): string[] =>
  screen
    .getAllByRole('gridcell')
    .filter((cell) => cell.getAttribute('aria-selected') === 'true')
    .map((cell) => within(cell).getByRole('img').getAttribute('alt')!)

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
    expect(img.getAttribute('loading')).toBe('lazy')
    // The thumbnail links to the full file, so a browser can drag it out of the page.
    expect(img.closest('a')?.getAttribute('href')).toBe('/media/images/2026/01/img_1.png')
    expect(within(gallery).getByText('1536 × 1024')).toBeTruthy()

    api.emit('gallery.changed', { added: [], removed: ['img_new'] })
    await waitFor(() => expect(within(gallery).queryByRole('img')).toBeNull())
  })

  it('keeps a 100,000-image library to a screenful of DOM and fetches the next page as the end comes into view', async () => {
    const library = fakeLibrary(100_000)
    const api = createFakeApi(library.handlers)
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByText('100,000 images')
    expect(within(gallery).getAllByRole('img').length).toBeLessThanOrEqual(45)
    expect(api.callsTo('gallery.list')).toEqual([{ limit: 120 }])

    // Scroll to the last loaded row: the page after the last image shown is asked for. (jsdom has
    // no layout: the grid takes 960 x 720, three columns of 312 px tiles at the default size.)
    const grid = within(gallery).getByRole('grid', { name: 'Images' })
    expect(grid.getAttribute('aria-colcount')).toBe('3')
    grid.scrollTop = 12 + 324 * 38
    fireEvent.scroll(grid)
    await waitFor(() => expect(api.callsTo('gallery.list')).toHaveLength(2))
    expect(api.callsTo('gallery.list')[1]).toEqual({ limit: 120, after: { createdAt: T0 - 119_000, id: 'img_000119' } })
    await within(gallery).findByRole('img', { name: 'Product shot 125' })
    expect(within(gallery).getAllByRole('img').length).toBeLessThanOrEqual(45)
    expect(within(gallery).queryByRole('img', { name: 'Product shot 0' })).toBeTruthy() // the active cell's row stays
    expect(within(gallery).queryByRole('img', { name: 'Product shot 50' })).toBeNull()
  })

  it('says "about" before a total the engine estimated, and not before an exact one', async () => {
    const api = createFakeApi({
      'gallery.list': (input) =>
        input.search === 'mug'
          ? { images: [image({ prompt: 'A mug' })], next: null, total: 58_000, approximate: true as const }
          : { images: [image({ prompt: 'A mug' })], next: null, total: 4 },
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByText('4 images')
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'mug' } })
    await within(gallery).findByText('about 58,000 matching')
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: '' } })
    await within(gallery).findByText('4 images')
  })

  it('searches prompts and says when nothing matches', async () => {
    const api = createFakeApi({
      'gallery.list': (input) => ({
        images: input.search === 'mug' ? [image({ prompt: 'A mug' })] : [],
        next: null,
        total: input.search === 'mug' ? 1 : 0,
      }),
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByText('No images yet — write a prompt and press Generate.')
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'mug' } })
    await within(gallery).findByRole('img', { name: 'A mug' })
    expect(within(gallery).getByText('1 matching')).toBeTruthy()
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'giraffe' } })
    await within(gallery).findByText('No images match these filters.')
    fireEvent.click(within(gallery).getByRole('button', { name: 'Show all images' }))
    await waitFor(() => expect(api.callsTo('gallery.list').at(-1)).toEqual({ limit: 120 }))
  })

  it('filters by provider, key, size, batch, tag, date range and favorites, listing only values with images', async () => {
    const api = createFakeApi({
      'gallery.list': () => ({ images: [image()], next: null, total: 1 }),
      'gallery.facets': () => ({
        providers: [{ value: 'demo', count: 3 }],
        keyLabels: [{ value: 'studio', count: 2 }],
        sizes: [{ value: '1536x1024', count: 2 }, { value: '1024x1024', count: 1 }],
        batches: [{ id: 'batch_1', name: 'Mugs', createdAt: T0, count: 2 }],
        tags: [{ value: 'Hero shot', count: 1 }],
      }),
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    // Folded away until asked for.
    expect(within(gallery).queryByRole('combobox', { name: 'Filter by size' })).toBeNull()
    const toggle = within(gallery).getByRole('button', { name: 'Filters' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    // The Generate form's "Provider" stays the only control of that name.
    expect(screen.getAllByRole('combobox', { name: /provider/i })).toHaveLength(1)
    const size = within(gallery).getByRole('combobox', { name: 'Filter by size' })
    // Sources by the profile's name, not its id.
    const source = within(gallery).getByRole('combobox', { name: 'Filter by source' })
    await waitFor(() => expect(within(source).getAllByRole('option').map((o) => o.textContent)).toEqual(['Any source', 'Demo (3)']))
    await waitFor(() => expect(within(size).getAllByRole('option').map((o) => o.textContent)).toEqual(['Any size', '1536x1024 (2)', '1024x1024 (1)']))
    const last = () => api.callsTo('gallery.list').at(-1)

    fireEvent.change(size, { target: { value: '1536x1024' } })
    expect(last()).toEqual({ limit: 120, size: '1536x1024' })
    fireEvent.change(within(gallery).getByRole('combobox', { name: 'Filter by source' }), { target: { value: 'demo' } })
    fireEvent.change(within(gallery).getByRole('combobox', { name: 'Filter by key' }), { target: { value: 'studio' } })
    fireEvent.change(within(gallery).getByRole('combobox', { name: 'Filter by batch' }), { target: { value: 'batch_1' } })
    fireEvent.change(within(gallery).getByRole('combobox', { name: 'Filter by tag' }), { target: { value: 'Hero shot' } })
    fireEvent.click(within(gallery).getByRole('checkbox', { name: 'Favorites only' }))
    // Dates are whole local days: "to" includes its day.
    fireEvent.change(within(gallery).getByLabelText('From date'), { target: { value: '2026-03-01' } })
    fireEvent.change(within(gallery).getByLabelText('To date'), { target: { value: '2026-03-31' } })
    expect(last()).toEqual({
      limit: 120,
      size: '1536x1024',
      provider: 'demo',
      keyLabel: 'studio',
      batchId: 'batch_1',
      tag: 'Hero shot',
      favorite: true,
      from: new Date(2026, 2, 1).getTime(),
      to: new Date(2026, 3, 1).getTime(),
    })
    await within(gallery).findByText('1 matching')
    // The toolbar says how many filters narrow the view (the search box speaks for itself).
    expect(toggle.textContent).toBe('Filters (8)')

    fireEvent.click(within(gallery).getByRole('button', { name: 'Clear filters' }))
    expect(last()).toEqual({ limit: 120 })
    expect(toggle.textContent).toBe('Filters')
    expect((within(gallery).getByRole('button', { name: 'Clear filters' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('selects with click, Shift-click, Ctrl/Cmd-click, Space and Ctrl+A; Escape clears', async () => {
    const api = createFakeApi(fakeLibrary(12).handlers)
    render(<App api={api} />)
    await screen.findByRole('img', { name: 'Product shot 0' })

    fireEvent.click(cellOf('Product shot 2').querySelector('img')!)
    expect(selectedNames()).toEqual(['Product shot 2'])
    fireEvent.click(cellOf('Product shot 5').firstElementChild!, { shiftKey: true })
    expect(selectedNames()).toEqual(['Product shot 2', 'Product shot 3', 'Product shot 4', 'Product shot 5'])
    fireEvent.click(cellOf('Product shot 3').firstElementChild!, { ctrlKey: true })
    fireEvent.click(cellOf('Product shot 9').firstElementChild!, { metaKey: true })
    expect(selectedNames()).toEqual(['Product shot 2', 'Product shot 4', 'Product shot 5', 'Product shot 9'])

    // Keyboard: Space toggles the focused image, Shift+arrow extends, Escape clears, Ctrl+A takes all.
    const cell = cellOf('Product shot 9')
    cell.focus()
    fireEvent.keyDown(cell, { key: ' ' })
    expect(selectedNames()).toEqual(['Product shot 2', 'Product shot 4', 'Product shot 5'])
    fireEvent.keyDown(cell, { key: 'Escape' })
    expect(selectedNames()).toEqual([])
    fireEvent.keyDown(cell, { key: 'ArrowRight', shiftKey: true })
    expect(selectedNames()).toEqual(['Product shot 9', 'Product shot 10'])
    fireEvent.keyDown(document.activeElement!, { key: 'a', ctrlKey: true })
    await waitFor(() => expect(selectedNames()).toHaveLength(12))
    expect(api.callsTo('gallery.ids')).toEqual([{}])
  })

  it('stars the focused image with F, and the star button does the same without selecting', async () => {
    const api = createFakeApi(fakeLibrary(3).handlers)
    render(<App api={api} />)
    await screen.findByRole('img', { name: 'Product shot 1' })
    const cell = cellOf('Product shot 0')
    cell.focus()
    await act(async () => {
      fireEvent.keyDown(cell, { key: 'f' })
    })
    expect(api.callsTo('gallery.favorite')).toEqual([{ id: 'img_000000', favorite: true }])
    await waitFor(() => expect(within(cell).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('true'))
    // Another tile's actions are in the page while the pointer is over it.
    expect(within(cellOf('Product shot 1')).queryByRole('button', { name: 'Favorite' })).toBeNull()
    fireEvent.mouseEnter(cellOf('Product shot 1').firstElementChild!)
    fireEvent.click(within(cellOf('Product shot 1')).getByRole('button', { name: 'Favorite' }))
    await waitFor(() => expect(api.callsTo('gallery.favorite')).toHaveLength(2))
    expect(selectedNames()).toEqual([])

    // Delete asks first, for the focused image (the README's keyboard list promises it).
    fireEvent.keyDown(cell, { key: 'Delete' })
    expect(await screen.findByRole('dialog', { name: 'Delete this image?' })).toBeTruthy()
    expect(api.callsTo('gallery.delete')).toEqual([])
  })

  it('stars, tags and deletes the selection in bulk; Export selected waits for a selection', async () => {
    const library = fakeLibrary(8)
    let deletedIds: string[] = []
    const api = createFakeApi({
      ...library.handlers,
      'gallery.favoriteMany': ({ ids }) => ({ updated: ids.length }),
      'gallery.tag': ({ add, remove }) => ({ added: (add ?? []).map((t) => (t === 'summer' ? 'Summer' : t)), removed: remove ?? [] }),
      'gallery.trashInfo': () => ({ kind: 'system', description: 'the system Trash' }),
      'gallery.delete': ({ ids }) => {
        deletedIds = ids
        return { deleted: ids.slice(1), failed: [{ id: ids[0]!, message: 'disk full' }], trash: { kind: 'system', description: 'the system Trash' } }
      },
    })
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByRole('img', { name: 'Product shot 0' })
    // The selection's actions appear with a selection, over the grid's foot.
    expect(within(gallery).queryByRole('toolbar', { name: 'Selection' })).toBeNull()

    fireEvent.click(cellOf('Product shot 1').firstElementChild!)
    fireEvent.click(cellOf('Product shot 3').firstElementChild!, { shiftKey: true })
    const bar = within(gallery).getByRole('toolbar', { name: 'Selection' })
    expect(within(bar).getByText('3 selected')).toBeTruthy()
    expect((within(bar).getByRole('button', { name: 'Export selected' }) as HTMLButtonElement).disabled).toBe(false)
    const hover = (name: string): HTMLElement => {
      fireEvent.mouseEnter(cellOf(name).firstElementChild!)
      return cellOf(name)
    }
    const chosen = ['img_000001', 'img_000002', 'img_000003']

    fireEvent.click(within(bar).getByRole('button', { name: '★ Star' }))
    await within(gallery).findByText('Starred 3 images.')
    expect(api.callsTo('gallery.favoriteMany')).toEqual([{ ids: chosen, favorite: true }])
    expect(within(hover('Product shot 2')).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('true')
    expect(within(hover('Product shot 4')).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('false')

    fireEvent.change(within(bar).getByRole('textbox', { name: 'Tag for selected images' }), { target: { value: 'summer, shop' } })
    fireEvent.click(within(bar).getByRole('button', { name: 'Add tag' }))
    await within(gallery).findByText('Tagged 3 images “Summer”, “shop”.')
    expect(within(hover('Product shot 3')).getByText('shop, Summer')).toBeTruthy()
    fireEvent.change(within(bar).getByRole('textbox', { name: 'Tag for selected images' }), { target: { value: 'shop' } })
    fireEvent.click(within(bar).getByRole('button', { name: 'Remove tag' }))
    await within(gallery).findByText('Removed “shop” from 3 images.')
    expect(within(hover('Product shot 3')).getByText('Summer')).toBeTruthy()

    fireEvent.click(within(bar).getByRole('button', { name: 'Delete…' }))
    const confirm = await screen.findByRole('dialog', { name: 'Delete 3 images?' })
    expect(confirm.textContent).toContain('The files move to the system Trash')
    fireEvent.click(within(confirm).getByRole('button', { name: 'Move to trash' }))
    await within(gallery).findByText('Moved 2 images to the system Trash.')
    expect(deletedIds).toEqual(chosen)
    // The one that failed stays, named in an error that says so.
    expect(within(gallery).getByRole('alert').textContent).toContain('1 image could not be deleted: disk full')
    expect(within(gallery).queryByRole('img', { name: 'Product shot 2' })).toBeNull()
    expect(within(gallery).getByRole('img', { name: 'Product shot 1' })).toBeTruthy()
    expect(within(gallery).getByText('6 images')).toBeTruthy()
  })
})
