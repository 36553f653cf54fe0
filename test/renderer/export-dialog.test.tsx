import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, DEFAULT_NAMING, type ExportPreview, type ExportRequest, type ExportState } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { ExportDialog } from '../../src/renderer/src/export/ExportDialog'
import { StoresProvider } from '../../src/renderer/src/app/stores-context'
import { createFakeApi, image } from './fake-api'

afterEach(cleanup)

const presets = {
  presets: [
    { id: 'web-shop', label: 'Web shop 2000x2000 JPEG', output: { label: 'shop', format: 'jpeg', quality: 90, width: 2000, height: 2000, fit: 'contain' } },
    { id: 'social-portrait', label: 'Social 1080x1350', output: { label: 'social', format: 'jpeg', quality: 85, width: 1080, height: 1350, fit: 'cover' } },
  ],
  fields: [{ name: 'sku', help: 'the product SKU' }],
  defaultNaming: DEFAULT_NAMING,
} as const

const running = (over: Partial<ExportState> = {}): ExportState => ({
  id: 'export_1',
  status: 'running',
  folder: '/tmp/out',
  images: 4,
  imagesDone: 0,
  files: 0,
  bytes: 0,
  current: null,
  manifest: null,
  zip: null,
  error: null,
  startedAt: 1,
  finishedAt: null,
  ...over,
})

function fakeEngine(choices: unknown = presets) {
  const previews: ExportRequest[] = []
  const api = createFakeApi({
    'gallery.list': () => ({ images: [image({ id: 'img_kettle', prompt: 'red kettle' })], next: null }),
    'exports.presets': () => structuredClone(choices) as never,
    'exports.preview': (input): ExportPreview => {
      previews.push(input as ExportRequest)
      const folder = (input.folder ?? '').trim()
      const outputs = input.outputs ?? []
      if (input.naming?.includes('{colour}')) {
        throw new ApiError('bad_input', 'The naming template uses an unknown field {colour}.', { field: 'naming', fix: 'Use only these fields: {sku}.' })
      }
      return {
        images: 4,
        files: 4 * outputs.length,
        examples: outputs.map((o) => `${o.label ?? 'image'}-${o.width ?? 256}x${o.height ?? 256}-001.jpg`),
        folderProblem: folder === '' ? 'Choose a folder to export to.' : folder.startsWith('/') ? null : 'not a full path',
        folder,
      }
    },
    'exports.start': () => running(),
    'exports.cancel': () => running(),
  })
  return { api, previews }
}

describe('Export dialog', () => {
  it('builds the request from presets, folder and options, shows the first name, progress and the result', async () => {
    const { api, previews } = fakeEngine()
    const onClose = vi.fn()
    render(
      <StoresProvider api={api}>
        <ExportDialog selection={{ kind: 'ids', ids: ['img_a', 'img_b'] }} onClose={onClose} />
      </StoresProvider>,
    )
    const dialog = screen.getByRole('dialog', { name: 'Export images' })
    expect(within(dialog).getByText(/2 selected images/)).toBeTruthy()
    const start = within(dialog).getByRole('button', { name: 'Start export' }) as HTMLButtonElement
    expect(start.disabled).toBe(true)

    fireEvent.click(await within(dialog).findByRole('button', { name: 'Web shop 2000x2000 JPEG' }))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Social 1080x1350' }))
    expect(within(dialog).getAllByRole('listitem', { name: /^Output \d$/ })).toHaveLength(2)
    expect((within(dialog).getByRole('textbox', { name: 'Naming template' }) as HTMLInputElement).value).toBe(DEFAULT_NAMING)

    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Folder' }), { target: { value: 'relative/out' } })
    expect(await within(dialog).findByText('not a full path')).toBeTruthy()
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Folder' }), { target: { value: '/tmp/out' } })
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Manifest' }), { target: { value: 'json' } })
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /ZIP/ }))
    await within(dialog).findByText('shop-2000x2000-001.jpg')
    await waitFor(() => expect(start.disabled).toBe(false))
    expect(within(dialog).getByText(/4 images → 8 files/)).toBeTruthy()
    expect(previews.at(-1)).toMatchObject({ folder: '/tmp/out', manifest: 'json', zip: true })

    fireEvent.click(start)
    await waitFor(() => expect(api.callsTo('exports.start')).toHaveLength(1))
    expect(api.callsTo('exports.start')[0]).toEqual({
      folder: '/tmp/out',
      selection: { kind: 'ids', ids: ['img_a', 'img_b'] },
      naming: DEFAULT_NAMING,
      outputs: [
        { label: 'shop', format: 'jpeg', quality: 90, width: 2000, height: 2000, fit: 'contain' },
        { label: 'social', format: 'jpeg', quality: 85, width: 1080, height: 1350, fit: 'cover' },
      ],
      manifest: 'json',
      zip: true,
    })

    const progress = await within(dialog).findByRole('progressbar', { name: 'Export progress' })
    api.emit('export.progress', running({ imagesDone: 2, files: 4, current: 'shop-2000x2000-002.jpg' }))
    await waitFor(() => expect(progress.getAttribute('value')).toBe('2'))
    expect(within(dialog).getByText('2 of 4 images · 4 files written')).toBeTruthy()
    api.emit('export.progress', running({ id: 'export_other', imagesDone: 4 }))
    expect(progress.getAttribute('value')).toBe('2')

    api.emit('export.progress', running({ status: 'done', imagesDone: 4, files: 8, manifest: 'manifest.json', zip: 'out.zip', finishedAt: 2 }))
    const result = await within(dialog).findByRole('status', { name: 'Export result' })
    expect(within(result).getByText('Exported 8 files')).toBeTruthy()
    expect(within(result).getByText('/tmp/out/manifest.json')).toBeTruthy()
    expect(within(result).getByText('/tmp/out/out.zip')).toBeTruthy()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    expect(onClose).toHaveBeenCalled()
  })

  it('shows a bad naming template as the engine words it, and can cancel a running export', async () => {
    const { api } = fakeEngine()
    render(
      <StoresProvider api={api}>
        <ExportDialog selection={{ kind: 'all' }} onClose={() => undefined} />
      </StoresProvider>,
    )
    const dialog = screen.getByRole('dialog', { name: 'Export images' })
    const naming = within(dialog).getByRole('textbox', { name: 'Naming template' })
    await waitFor(() => expect((naming as HTMLInputElement).value).toBe(DEFAULT_NAMING))
    fireEvent.change(naming, { target: { value: '{sku}-{colour}' } })
    expect(await within(dialog).findByText('The naming template uses an unknown field {colour}.')).toBeTruthy()
    expect((within(dialog).getByRole('button', { name: 'Start export' }) as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(naming, { target: { value: '{index}' } })
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Folder' }), { target: { value: '/tmp/out' } })
    const start = within(dialog).getByRole('button', { name: 'Start export' }) as HTMLButtonElement
    await waitFor(() => expect(start.disabled).toBe(false))
    fireEvent.click(start)
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Cancel export' }))
    await waitFor(() => expect(api.callsTo('exports.cancel')).toEqual([{ id: 'export_1' }]))
    api.emit('export.progress', running({ status: 'canceled', imagesDone: 1, files: 1, manifest: 'manifest.csv', finishedAt: 2 }))
    expect(await within(dialog).findByText('Canceled — 1 complete file kept')).toBeTruthy()
  })

  it("takes a preset's naming (with {source_size}) while the naming is the default, never over a typed one", async () => {
    const PRESET_NAMING = '{sku}-{prompt_slug}-{source_size}-{output}.{ext}'
    const { api } = fakeEngine({ ...presets, presets: presets.presets.map((p) => ({ ...p, naming: PRESET_NAMING })) })
    render(
      <StoresProvider api={api}>
        <ExportDialog selection={{ kind: 'all' }} onClose={() => undefined} />
      </StoresProvider>,
    )
    const dialog = screen.getByRole('dialog', { name: 'Export images' })
    const naming = within(dialog).getByRole('textbox', { name: 'Naming template' }) as HTMLInputElement
    await waitFor(() => expect(naming.value).toBe(DEFAULT_NAMING))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Web shop 2000x2000 JPEG' }))
    expect(naming.value).toBe(PRESET_NAMING)
    fireEvent.change(naming, { target: { value: '{sku}-{size}' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Social 1080x1350' }))
    expect(naming.value).toBe('{sku}-{size}')
  })

  it('shows the result of an export that ended before its start reply arrived', async () => {
    const { api } = fakeEngine()
    const done = running({ status: 'done', imagesDone: 4, files: 4, manifest: 'manifest.csv', finishedAt: 2 })
    const original = api.call.bind(api)
    Object.assign(api, {
      call: async (name: string, input: unknown) => {
        if (name !== 'exports.start') return original(name as never, input as never)
        // The engine finished (and said so) before the page read the reply.
        api.emit('export.progress', done)
        return running()
      },
    })
    render(
      <StoresProvider api={api}>
        <ExportDialog selection={{ kind: 'all' }} onClose={() => undefined} />
      </StoresProvider>,
    )
    const dialog = screen.getByRole('dialog', { name: 'Export images' })
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Folder' }), { target: { value: '/tmp/out' } })
    const start = within(dialog).getByRole('button', { name: 'Start export' }) as HTMLButtonElement
    await waitFor(() => expect(start.disabled).toBe(false))
    fireEvent.click(start)
    expect(await within(dialog).findByText('Exported 4 files')).toBeTruthy()
  })

  it('opens from the Gallery header with the current search as its selection, and Escape closes it', async () => {
    const { api, previews } = fakeEngine()
    render(<App api={api} />)
    const gallery = screen.getByRole('region', { name: 'Gallery' })
    await within(gallery).findByRole('img', { name: 'red kettle' })
    fireEvent.change(within(gallery).getByRole('searchbox', { name: 'Search prompts' }), { target: { value: 'kettle' } })
    fireEvent.click(within(gallery).getByRole('button', { name: 'Export' }))
    const dialog = await screen.findByRole('dialog', { name: 'Export images' })
    expect(within(dialog).getByText(/Images matching “kettle”/)).toBeTruthy()
    await waitFor(() => expect(previews.at(-1)?.selection).toEqual({ kind: 'filter', filter: { search: 'kettle' } }))
    fireEvent.keyDown(dialog, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.activeElement).toBe(within(gallery).getByRole('button', { name: 'Export' }))
  })
})
