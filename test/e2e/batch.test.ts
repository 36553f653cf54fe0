import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, openQueue, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// A SKU batch end to end in real Chromium with the offline demo provider: the CSV through the
// file input, the preview (an invalid row marked with its reason), Run batch, progress to done.

const CSV = [
  'SKU,Product,Angle,Colour',
  'MUG-01,"white ceramic mug, 350 ml",front,white',
  'MUG-02,blue enamel mug,three-quarter,blue',
  'MUG-03,,front,grey',
  'MUG-04,stoneware espresso cup,side,sand',
].join('\r\n')

let mode: BrowserMode
let page: Page

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  await openApp(mode)
})

afterAll(async () => {
  await mode?.close()
})

describe('browser mode: a batch from a CSV', () => {
  it('previews the rows x sizes, runs the valid rows and shows the batch done', async () => {
    await page.getByRole('button', { name: 'New batch' }).click()
    const dialog = page.getByRole('dialog', { name: 'New batch' })
    await waitForText(dialog.getByRole('combobox', { name: 'Template' }), /White background packshot/)
    await dialog.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'White background packshot' })
    await dialog.getByLabel('Rows (CSV)').setInputFiles({ name: 'mugs.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${CSV}\r\n`) })
    await waitForText(dialog.getByRole('combobox', { name: 'Batch provider' }), /Demo/)
    await dialog.getByRole('checkbox', { name: '1536x1024' }).check()

    const preview = dialog.getByRole('region', { name: 'Batch preview' })
    await waitForText(preview, '3 valid, 1 invalid · 6 job(s) · Total $0.00')
    const headers = await preview.getByRole('columnheader').allTextContents()
    expect(headers).toEqual(['Row', 'SKU', 'Prompt', '1024x1024', '1536x1024', 'Cost', 'Status'])
    const invalid = preview.getByRole('row').filter({ hasText: 'MUG-03' })
    await waitForText(invalid, 'Product" is empty on this row')
    await waitForText(preview.getByRole('row').filter({ hasText: 'MUG-01' }), 'Studio packshot of white ceramic mug, 350 ml')
    await waitForText(preview, 'Not used by the template: Colour')
    await screenshot(page, 'batch.png')

    await dialog.getByRole('button', { name: 'Run batch' }).click()
    const progress = dialog.getByRole('region', { name: 'Batch progress' })
    await waitForText(progress, 'Batch finished: 6 image job(s) done.', 60_000)
    // The dialog keeps a reasonable height after Run batch (it used to collapse to a 100 px
    // sliver), and its content is on screen, not clipped away.
    const box = (await dialog.boundingBox())!
    expect(box.height).toBeGreaterThan(250)
    const progressBox = (await progress.boundingBox())!
    expect(progressBox.height).toBeGreaterThan(150)
    expect(progressBox.y + progressBox.height).toBeLessThanOrEqual(box.y + box.height + 1)
    for (const term of ['Done', 'Failed', 'Remaining', 'Spent']) expect(await progress.getByText(term, { exact: true }).isVisible()).toBe(true)
    expect(await progress.getByRole('button', { name: 'Cancel the rest' }).isVisible()).toBe(true)
    await screenshot(page, 'batch-progress.png')
    expect(await progress.getByRole('button', { name: 'Retry failed' }).isDisabled()).toBe(true)
    expect(await progress.getByRole('button', { name: 'Cancel the rest' }).isDisabled()).toBe(true)

    // The jobs are in the queue too, named by the rows' prompts.
    await dialog.getByRole('button', { name: 'Close' }).click()
    const queue = await openQueue(page)
    await waitForText(queue.getByRole('listitem'), /stoneware espresso cup/)
    // Named by what it is: 3 rows at 2 sizes, not "6 jobs · 6 sizes".
    await queue.getByRole('listitem', { name: 'Batch: 3 rows × 2 sizes · 6 jobs' }).waitFor()
  })
})
