import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DesktopCapabilities, ImageDetail, ImageView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, demoProvider, image, sizesOf } from './fake-api'
import { isChosen } from './size-picker'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const TEAPOT = image({
  id: 'img_teapot',
  prompt: 'Blue teapot on slate',
  revisedPrompt: 'A glossy blue teapot on a slate board',
  width: 1536,
  height: 1024,
  format: 'webp',
  bytes: 2_500_000,
  keyLabel: 'studio',
  provider: 'tokenhub',
  file: 'images/2026/01/img_teapot.webp',
})
const MUG = image({ id: 'img_mug', prompt: 'A ceramic mug', createdAt: TEAPOT.createdAt - 1000 })

/** The mug's job was charged from OpenAI-style token usage. */
const byTokens = { chargedCost: 0.0412, chargeBasis: 'tokens' as const, usage: { inputTokens: 20, inputTextTokens: 20, inputImageTokens: 0, outputTokens: 1234, totalTokens: 1254 } }

const detailOf = (img: ImageView): ImageDetail => ({
  image: img,
  path: `/home/ana/library/${img.file}`,
  job: {
    id: img.jobId,
    batchId: null,
    size: { width: img.width, height: img.height },
    estimatedCost: 0.19,
    chargedCost: 0.167,
    currency: 'USD',
    references: 2,
    masked: false,
    baseUrl: null,
    ...(img.id === 'img_mug' ? byTokens : {}),
  },
  settings: {
    provider: img.provider,
    prompt: img.prompt,
    size: `${img.width}x${img.height}`,
    format: img.format,
    quality: 'high',
    background: 'opaque',
    compression: 80,
    n: 2,
    keyId: 'key_studio',
  },
})

function setup(options: { desktop?: DesktopCapabilities } = {}) {
  const tokenhub = demoProvider({ id: 'tokenhub', name: 'TokenHub', needsKey: true, sizes: sizesOf('1024x1024', '1536x1024') })
  let images = [TEAPOT, MUG]
  const api = createFakeApi({
    'providers.list': () => ({ providers: [demoProvider(), tokenhub] }),
    'keys.list': () => ({
      keys: [{ id: 'key_studio', provider: 'tokenhub', label: 'studio', last4: '1234', backend: 'keychain', createdAt: 1, available: true }],
      status: { backend: 'keychain', persistent: true, message: 'test' },
    }),
    'gallery.list': () => ({ images, next: null, total: images.length }),
    'gallery.detail': ({ id }) => detailOf(images.find((i) => i.id === id)!),
    'gallery.trashInfo': () => ({ kind: 'folder', description: 'the library’s trash folder, /home/ana/library/trash' }),
    'gallery.tag': ({ add, remove }) => ({ added: add ?? [], removed: remove ?? [] }),
    'gallery.delete': ({ ids }) => {
      images = images.filter((i) => !ids.includes(i.id))
      return { deleted: ids, failed: [], trash: { kind: 'folder', description: 'the library’s trash folder, /home/ana/library/trash' } }
    },
  })
  if (options.desktop) api.desktop = options.desktop
  render(<App api={api} />)
  return api
}

async function openTeapot(): Promise<HTMLElement> {
  const thumb = await screen.findByRole('img', { name: 'Blue teapot on slate' })
  const cell = thumb.closest<HTMLElement>('[role="gridcell"]')!
  cell.focus()
  fireEvent.keyDown(cell, { key: 'Enter' })
  const dialog = await screen.findByRole('dialog', { name: 'Image details' })
  await within(dialog).findByText('/home/ana/library/images/2026/01/img_teapot.webp')
  return dialog
}

describe('image detail', () => {
  it('shows the full image and every parameter of its job', async () => {
    setup()
    const dialog = await openTeapot()
    const full = within(dialog).getByRole('img', { name: 'Blue teapot on slate' })
    expect(full.getAttribute('src')).toBe('/media/images/2026/01/img_teapot.webp')
    const facts = Object.fromEntries(
      within(dialog)
        .getAllByRole('term')
        .map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
    )
    expect(facts).toMatchObject({
      Prompt: 'Blue teapot on slate',
      'Revised prompt': 'A glossy blue teapot on a slate board',
      Size: '1536 × 1024 px',
      Format: 'WEBP · 2.4 MB',
      Quality: 'high',
      Background: 'opaque',
      Compression: '80%',
      'Images per request': '2',
      References: '2 reference images',
      // The profile's name, not its id.
      Provider: 'TokenHub',
      Key: 'studio',
      'Estimated cost': '$0.19',
      'Charged cost': '$0.167',
      File: '/home/ana/library/images/2026/01/img_teapot.webp',
    })
  })

  it('shows a charge from token usage beside the list price', async () => {
    setup()
    const thumb = await screen.findByRole('img', { name: 'A ceramic mug' })
    const cell = thumb.closest<HTMLElement>('[role="gridcell"]')!
    cell.focus()
    fireEvent.keyDown(cell, { key: 'Enter' })
    const dialog = await screen.findByRole('dialog', { name: 'Image details' })
    const term = await within(dialog).findByText('Charged cost')
    expect(term.nextElementSibling?.textContent).toBe('charged $0.0412 from 20 input + 1,234 output tokens · list $0.19')
  })

  it('zooms with the buttons and keys, and steps to the next image with →', async () => {
    setup()
    const dialog = await openTeapot()
    const toolbar = within(dialog).getByRole('toolbar', { name: 'Zoom' })
    // It reads "− 100% + Fit 100%": out, the scale shown, in, then the presets, each named.
    expect([...toolbar.querySelectorAll('button, output')].map((el) => el.getAttribute('aria-label'))).toEqual([
      'Zoom out',
      'Zoom level',
      'Zoom in',
      'Fit to window',
      '100% (actual size)',
    ])
    const level = (): string => within(toolbar).getByRole('status', { name: 'Zoom level' }).textContent!
    const fit = (): string | null => within(toolbar).getByRole('button', { name: 'Fit to window' }).getAttribute('aria-pressed')
    // jsdom lays nothing out, so fitting shows the image at its own size.
    expect(level()).toBe('100%')
    expect(fit()).toBe('true')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Zoom in' }))
    expect(level()).toBe('150%')
    expect(fit()).toBe('false')
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: '-' })
    expect(level()).toBe('100%')
    expect(within(toolbar).getByRole('button', { name: '100% (actual size)' }).getAttribute('aria-pressed')).toBe('true')
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: '0' })
    expect(fit()).toBe('true')
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Close' }), { key: 'ArrowRight' })
    await within(dialog).findByText('/home/ana/library/images/2026/01/img_1.png')
    expect(within(dialog).getByRole('img', { name: 'A ceramic mug' })).toBeTruthy()
  })

  it('"Use these settings" fills the Generate form and closes the dialog', async () => {
    setup()
    const dialog = await openTeapot()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use these settings' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect((screen.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement).value).toBe('Blue teapot on slate')
    expect((screen.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement).value).toBe('tokenhub')
    expect(isChosen('1536x1024')).toBe(true)
    expect(isChosen('1024x1024')).toBe(false)
    expect((screen.getByRole('combobox', { name: 'API key' }) as HTMLSelectElement).value).toBe('key_studio')
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Prompt' })))
  })

  it('in a browser: copies the file path, since a page cannot open the file manager', async () => {
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    setup()
    const dialog = await openTeapot()
    expect(within(dialog).queryByRole('button', { name: 'Reveal in folder' })).toBeNull()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy file path' }))
    await within(dialog).findByText('File path copied to the clipboard.')
    expect(writeText).toHaveBeenCalledWith('/home/ana/library/images/2026/01/img_teapot.webp')
  })

  it('in the desktop app: copies, reveals and drags through the desktop capabilities', async () => {
    const desktop = {
      copyImage: vi.fn(async () => ({ ok: true as const })),
      revealInFolder: vi.fn(async () => ({ ok: false as const, message: 'That image is not in the library (any more).' })),
      startDrag: vi.fn(),
    }
    setup({ desktop })
    const dialog = await openTeapot()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy image' }))
    await within(dialog).findByText('Image copied to the clipboard.')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reveal in folder' }))
    await within(dialog).findByText('That image is not in the library (any more).')
    fireEvent.dragStart(within(dialog).getByRole('img', { name: 'Blue teapot on slate' }))
    expect(desktop.copyImage).toHaveBeenCalledWith('images/2026/01/img_teapot.webp')
    expect(desktop.revealInFolder).toHaveBeenCalledWith('images/2026/01/img_teapot.webp')
    expect(desktop.startDrag).toHaveBeenCalledWith('images/2026/01/img_teapot.webp')
  })

  it('adds and removes tags on the image', async () => {
    const api = setup()
    const dialog = await openTeapot()
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Add tag' }), { target: { value: 'hero, shop ' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }))
    await within(dialog).findByRole('button', { name: 'Remove tag shop' })
    expect(api.callsTo('gallery.tag')).toEqual([{ ids: ['img_teapot'], add: ['hero', 'shop'], remove: [] }])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove tag hero' }))
    await waitFor(() => expect(within(dialog).queryByRole('button', { name: 'Remove tag hero' })).toBeNull())
    expect(api.callsTo('gallery.tag')[1]).toEqual({ ids: ['img_teapot'], add: [], remove: ['hero'] })
  })

  it('deletes after saying where the file goes, and closes', async () => {
    const api = setup()
    const dialog = await openTeapot()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete…' }))
    const confirm = await screen.findByRole('dialog', { name: 'Delete this image?' })
    expect(confirm.textContent).toContain('The file moves to the library’s trash folder, /home/ana/library/trash')
    fireEvent.click(within(confirm).getByRole('button', { name: 'Move to trash' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(api.callsTo('gallery.delete')).toEqual([{ ids: ['img_teapot'] }])
    api.emit('gallery.changed', { added: [], removed: ['img_teapot'] })
    await waitFor(() => expect(screen.queryByRole('img', { name: 'Blue teapot on slate' })).toBeNull())
    expect(screen.getByText('Moved 1 image to the library’s trash folder, /home/ana/library/trash.')).toBeTruthy()
  })
})
