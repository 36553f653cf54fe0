import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCsv } from '../helpers/export-library'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { callBridge, openApp, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// Issue 5's "done means", from the app: a 50-row CSV at two sizes runs against the OpenAI test
// server ($0.22 an image) under a $25 cap, then the batch is exported from the Gallery as a
// folder named by SKU and size, with its manifest.

let server: ProviderServer
let mode: BrowserMode
let page: Page
let out: string

const ROWS = 50
const CSV = ['SKU,Product', ...Array.from({ length: ROWS }, (_, i) => `SKU-${String(i + 1).padStart(3, '0')},"ceramic mug, glaze ${i + 1}"`)].join('\r\n')

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode()
  page = mode.page
  out = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-batch-export-'))
  await openApp(mode)
  // The studio's settings: OpenAI through the test server, paced for a batch, and its key.
  const saved = await callBridge(page, 'providers.save', {
    kind: 'override',
    id: 'openai',
    baseUrl: server.baseUrl('openai'),
    requestsPerMinute: 600,
    concurrency: 6,
  })
  expect(saved.ok).toBe(true)
  const key = await callBridge(page, 'keys.add', { provider: 'openai', label: 'studio', secret: server.validKey('openai') })
  expect(key.ok).toBe(true)
  await page.reload()
  await page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
  if (out) await rm(out, { recursive: true, force: true })
})

describe('browser mode: a 50-row batch against a provider, then its export', () => {
  it('runs 50 rows x 2 sizes within a $25 cap', async () => {
    await page.getByRole('button', { name: 'New batch' }).click()
    const dialog = page.getByRole('dialog', { name: 'New batch' })
    await waitForText(dialog.getByRole('combobox', { name: 'Template' }), /White background packshot/)
    await dialog.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'White background packshot' })
    await dialog.getByLabel('Rows (CSV)').setInputFiles({ name: 'mugs.csv', mimeType: 'text/csv', buffer: Buffer.from(`${CSV}\r\n`) })
    await dialog.getByRole('combobox', { name: 'Batch provider' }).selectOption('openai')
    const keySelect = dialog.getByRole('combobox', { name: 'Batch key' })
    await waitForText(keySelect, /studio/)
    const keyOption = (await keySelect.locator('option').allTextContents()).find((t) => t.includes('studio'))!
    await keySelect.selectOption({ label: keyOption })
    await dialog.getByRole('checkbox', { name: '1024x1024' }).check()
    await dialog.getByRole('checkbox', { name: '1536x1024' }).check()
    await dialog.getByLabel(/Budget cap/).fill('25')

    const preview = dialog.getByRole('region', { name: 'Batch preview' })
    await waitForText(preview, /50 valid.*100 job\(s\).*Total \$22\.00/)
    await dialog.getByRole('button', { name: 'Run batch' }).click()
    const progress = dialog.getByRole('region', { name: 'Batch progress' })
    await waitForText(progress, 'Batch finished: 100 image job(s) done.', 120_000)
    expect(server.billed('openai').images).toBe(100)
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('exports the batch from the Gallery, named by SKU and size, with a manifest', async () => {
    const gallery = page.getByRole('region', { name: 'Gallery' })
    await gallery.getByRole('button', { name: /^Filters/ }).click()
    const batchFilter = gallery.getByRole('combobox', { name: 'Batch' })
    await waitForText(batchFilter, /· 100 images/)
    const option = (await batchFilter.locator('option').allTextContents()).find((t) => t.includes('· 100 images'))!
    await batchFilter.selectOption({ label: option })

    await gallery.getByRole('button', { name: 'Export', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Export images' })
    const folder = join(out, 'shop')
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(folder)
    await dialog.getByRole('textbox', { name: 'Naming template' }).fill('{sku}-{size}.{ext}')
    await waitForText(dialog, /100 images → 100 files/)
    await dialog.getByRole('button', { name: 'Start export' }).click()
    await waitForText(dialog.getByRole('status', { name: 'Export result' }), 'Exported 100 files', 60_000)

    const files = (await readdir(folder)).sort()
    expect(files).toHaveLength(101)
    expect(files).toContain('SKU-001-1024x1024.png')
    expect(files).toContain('SKU-050-1536x1024.png')
    const rows = readCsv(join(folder, 'manifest.csv'))
    expect(rows).toHaveLength(100)
    expect(new Set(rows.map((r) => r.sku)).size).toBe(50)
    expect(rows.every((r) => r.provider === 'openai' && r.key_label === 'studio')).toBe(true)
    expect(JSON.stringify(rows)).not.toContain(server.validKey('openai'))
  })
})
