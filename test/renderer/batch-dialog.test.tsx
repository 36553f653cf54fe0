import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { BatchPreview, BatchProgress, Input, TemplateView } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi } from './fake-api'

afterEach(cleanup)

const packshot: TemplateView = {
  id: 'tpl_packshot',
  name: 'Packshot',
  body: '{{product}} on {{surface}}',
  variables: ['product', 'surface'],
  defaults: {},
  notes: '',
  createdAt: 1,
  updatedAt: 1,
}

const CSV = 'sku,product,surface,colour\nK1,kettle,oak,red\nK2,,oak,blue\n'

/** What the engine says about CSV at the two sizes picked below (the engine's own rules are tested in test/main/batches). */
function previewFor(input: Input<'batches.preview'>): BatchPreview {
  const sizes = input.settings.sizes.map((s) => ('width' in s ? `${s.width}x${s.height}` : 'aspect' in s ? s.aspect : 'auto'))
  return {
    templateName: 'Packshot',
    sourceName: input.sourceName ?? null,
    delimiter: 'comma',
    columns: [
      { header: 'sku', role: 'sku', variables: [] },
      { header: 'product', role: 'variable', variables: ['product'] },
      { header: 'surface', role: 'variable', variables: ['surface'] },
      { header: 'colour', role: 'unmatched', variables: [] },
    ],
    unmatchedHeaders: ['colour'],
    unfilledVariables: [],
    problems: [],
    provider: 'demo',
    currency: 'USD',
    sizes,
    rows: [
      { row: 2, sku: 'K1', prompt: 'kettle on oak', sizes, count: 1, quality: 'auto', reference: null, lines: sizes.map((size) => ({ size, subtotal: 0.04 })), cost: 0.04 * sizes.length, problems: [] },
      {
        row: 3, sku: 'K2', prompt: '{{product}} on oak', sizes, count: 1, quality: 'auto', reference: null,
        lines: sizes.map((size) => ({ size, subtotal: 0.04 })), cost: null,
        problems: [{ field: 'product', message: '"product" is empty on this row and the template has no default for {{product}}.' }],
      },
    ],
    validRows: 1,
    invalidRows: 1,
    jobs: sizes.length,
    total: 0.04 * sizes.length,
    budget: input.budget ?? null,
  }
}

const progress = (over: Partial<BatchProgress> = {}): BatchProgress => ({
  batchId: 'batch_1', name: 'Packshot × rows.csv', templateName: 'Packshot', sourceName: 'rows.csv', createdAt: 1, currency: 'USD',
  jobs: 2, done: 1, failed: 1, canceled: 0, running: 0, remaining: 0, held: 0, spent: 0.04, unknownCharges: 0, estimated: 0.08, budget: null,
  heldReason: null, failures: [{ jobId: 'job_2', row: 2, sku: 'K1', size: '1536x1024', message: 'The provider refused the prompt.' }],
  ...over,
})

describe('New batch', () => {
  it('previews a CSV (rows x sizes, prompts, costs, invalid rows with their reason), runs only when asked, then shows progress', async () => {
    let statusCalls = 0
    const api = createFakeApi({
      'templates.list': () => ({ templates: [packshot] }),
      'batches.preview': previewFor,
      'batches.run': (input) => ({ batchId: 'batch_1', preview: previewFor(input), jobIds: ['job_1', 'job_2'] }),
      'batches.status': () => (statusCalls++ === 0 ? progress() : progress({ failed: 0, done: 1, remaining: 1, failures: [] })),
      'batches.retryFailed': () => ({ retried: 1 }),
      'batches.cancel': () => ({ canceled: 1 }),
    })
    render(<App api={api} />)
    fireEvent.click(await screen.findByRole('button', { name: 'New batch' }))
    const dialog = screen.getByRole('dialog', { name: 'New batch' })
    const ui = within(dialog)

    await waitFor(() => expect(ui.getByRole('option', { name: 'Packshot' })).toBeTruthy())
    fireEvent.change(ui.getByLabelText('Template'), { target: { value: 'tpl_packshot' } })
    expect(ui.getByRole('button', { name: 'Choose a CSV file…' })).toBeTruthy()
    fireEvent.change(ui.getByLabelText('Rows (CSV)'), { target: { files: [new File([CSV], 'rows.csv', { type: 'text/csv' })] } })
    // The file chosen is named beside the button, which now offers another.
    expect(await ui.findByRole('button', { name: 'Choose another file…' })).toBeTruthy()
    expect(ui.getByText('rows.csv')).toBeTruthy()
    fireEvent.click(ui.getByRole('checkbox', { name: '1536x1024' }))
    expect(ui.getByRole('button', { name: 'Run batch' })).toHaveProperty('disabled', true)

    const preview = await ui.findByRole('region', { name: 'Batch preview' })
    await waitFor(() => expect(within(preview).getByText('kettle on oak')).toBeTruthy())
    const table = within(preview).getByRole('table')
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent)
    expect(headers).toEqual(['Row', 'SKU', 'Prompt', '1024x1024', '1536x1024', 'Cost', 'Status'])
    const [, valid, invalid] = within(table).getAllByRole('row')
    expect(within(valid!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['K1', 'kettle on oak', '$0.04', '$0.04', '$0.08', 'Ready'])
    expect(invalid!.textContent).toContain('product: "product" is empty on this row and the template has no default for {{product}}.')
    expect(preview.textContent).toContain('Not used by the template: colour')
    expect(preview.textContent).toContain('1 valid, 1 invalid · 2 job(s) · Total $0.08')

    // What the engine was asked: the file's text and name, the template, the two sizes.
    const last = api.callsTo('batches.preview').at(-1) as Input<'batches.preview'>
    expect(last).toMatchObject({
      table: CSV,
      sourceName: 'rows.csv',
      template: { name: 'Packshot', body: '{{product}} on {{surface}}' },
      settings: { provider: 'demo', sizes: [{ width: 1024, height: 1024 }, { width: 1536, height: 1024 }] },
    })
    expect(api.callsTo('batches.run')).toEqual([])

    const run = ui.getByRole('button', { name: 'Run batch' })
    await waitFor(() => expect(run).toHaveProperty('disabled', false))
    fireEvent.click(run)
    const progressRegion = await ui.findByRole('region', { name: 'Batch progress' })
    expect(api.callsTo('batches.run')).toHaveLength(1)
    await waitFor(() => expect(progressRegion.textContent).toContain('Row 2 (K1), 1536x1024: The provider refused the prompt.'))
    expect(within(progressRegion).getByRole('progressbar', { name: 'Jobs finished' })).toBeTruthy()
    fireEvent.click(within(progressRegion).getByRole('button', { name: 'Retry failed' }))
    await waitFor(() => expect(api.callsTo('batches.retryFailed')).toEqual([{ batchId: 'batch_1' }]))
    await waitFor(() => expect(within(progressRegion).getByRole('button', { name: 'Retry failed' })).toHaveProperty('disabled', true))
    fireEvent.click(within(progressRegion).getByRole('button', { name: 'Cancel the rest' }))
    await waitFor(() => expect(api.callsTo('batches.cancel')).toEqual([{ batchId: 'batch_1' }]))
  })

  it('Escape closes the dialog and gives focus back to the button', async () => {
    render(<App api={createFakeApi({})} />)
    const button = await screen.findByRole('button', { name: 'New batch' })
    fireEvent.click(button)
    const dialog = screen.getByRole('dialog', { name: 'New batch' })
    expect(dialog.contains(document.activeElement)).toBe(true)
    fireEvent.keyDown(dialog, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
  })
})
