import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCsv } from '../helpers/export-library'
import { pixelSize } from '../helpers/library-files'
import { chooseSize, screenshot, startBrowserMode, waitForText, type BrowserMode, signIn } from './browser-mode'

// Export end to end: demo images made in the app, the Export dialog opened from the Gallery,
// two outputs written to a real folder, then the files and the manifest read back from disk.

let mode: BrowserMode
let page: Page
let out: string

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  out = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-export-'))
})

afterAll(async () => {
  await mode?.close()
  if (out) await rm(out, { recursive: true, force: true })
})

describe('browser mode: export from the Gallery', () => {
  it('generates two demo images', async () => {
    await signIn(mode)
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Walnut side table, white studio packshot')
    await chooseSize(page, '1024x1024')
    await chooseSize(page, '1536x1024')
    await page.getByRole('button', { name: 'Generate' }).click()
    const gallery = page.getByRole('region', { name: 'Gallery' })
    await expect.poll(() => gallery.getByRole('img', { name: 'Walnut side table, white studio packshot' }).count(), { timeout: 30_000 }).toBe(2)
  })

  it('exports a shop and a social output with a CSV manifest into a typed folder', async () => {
    const gallery = page.getByRole('region', { name: 'Gallery' })
    await gallery.getByRole('button', { name: 'Export', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Export images' })
    await dialog.waitFor()

    const folder = join(out, 'table delivery')
    await dialog.getByRole('textbox', { name: 'Folder' }).fill('not/a/full/path')
    await waitForText(dialog, /is not a full path/)
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(folder)
    await dialog.getByRole('button', { name: 'Web shop 2000x2000 JPEG' }).click()
    await dialog.getByRole('button', { name: 'Social 1080x1350' }).click()
    await dialog.getByRole('textbox', { name: 'Naming template' }).fill('{output}-{prompt_slug}-{size}-{index}')
    await waitForText(dialog, 'shop-walnut-side-table-white-studio-packshot-2000x2000-001.jpg')
    await waitForText(dialog, /2 images → 4 files/)
    await screenshot(page, 'export.png')

    await dialog.getByRole('button', { name: 'Start export' }).click()
    const result = dialog.getByRole('status', { name: 'Export result' })
    await waitForText(result, 'Exported 4 files')
    await waitForText(result, join(folder, 'manifest.csv'))

    const files = (await readdir(folder)).sort()
    expect(files).toEqual(
      [
        'manifest.csv',
        'shop-walnut-side-table-white-studio-packshot-2000x2000-001.jpg',
        'shop-walnut-side-table-white-studio-packshot-2000x2000-002.jpg',
        'social-walnut-side-table-white-studio-packshot-1080x1350-001.jpg',
        'social-walnut-side-table-white-studio-packshot-1080x1350-002.jpg',
      ].sort(),
    )
    for (const name of files.filter((f) => f.endsWith('.jpg'))) {
      const size = name.startsWith('shop') ? { width: 2000, height: 2000 } : { width: 1080, height: 1350 }
      expect(await pixelSize(join(folder, name))).toEqual({ format: 'jpeg', ...size })
    }
    const rows = readCsv(join(folder, 'manifest.csv'))
    expect(rows).toHaveLength(4)
    expect(new Set(rows.map((r) => r.prompt))).toEqual(new Set(['Walnut side table, white studio packshot']))
    expect(rows.every((r) => r.provider === 'demo' && /^[0-9a-f]{64}$/.test(r.sha256!))).toBe(true)

    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
  })
})
