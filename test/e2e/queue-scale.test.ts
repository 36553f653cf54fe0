import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { callBridge, openApp, openQueue, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// A queue of 500 jobs in real Chromium: a CSV batch of 200 rows × 2 sizes and 100 single jobs,
// queued over the bridge with the queue paused (the demo provider, nothing runs). The page stays
// small because the Queue draws only the rows in view, and every job can still be reached.

const ROWS = 200
const SINGLES = 100

let mode: BrowserMode
let page: Page
let queue: Locator

const elementCount = (): Promise<number> => page.evaluate('document.querySelectorAll("*").length') as Promise<number>

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  await openApp(mode)
  expect((await callBridge(page, 'queue.pause', {})).ok).toBe(true)
  const table = ['sku,product', ...Array.from({ length: ROWS }, (_, i) => `SKU-${String(i + 1).padStart(3, '0')},product ${i + 1}`)].join('\n')
  const run = await callBridge(page, 'batches.run', {
    template: { name: 'packshot', body: '{{product}} on white' },
    table,
    settings: { provider: 'demo', sizes: [{ width: 1024, height: 1024 }, { width: 1536, height: 1024 }] },
  })
  expect(run.ok).toBe(true)
  for (let i = 1; i <= SINGLES; i++) {
    const made = await callBridge(page, 'jobs.generate', { provider: 'demo', prompt: `Single product ${i}`, sizes: [{ width: 1024, height: 1024 }] })
    expect(made.ok).toBe(true)
  }
  queue = await openQueue(page)
}, 120_000)

afterAll(async () => {
  await mode?.close()
})

describe('browser mode: a queue of 500 jobs', () => {
  it('says the true counts and keeps the document under 600 elements', async () => {
    await waitForText(queue.locator('.queue-counts'), `${ROWS * 2 + SINGLES} queued`)
    const list = queue.getByRole('list', { name: 'Jobs' })
    await waitForText(list.getByRole('listitem'), `Single product ${SINGLES}`)
    const drawn = await list.getByRole('listitem').count()
    expect(drawn).toBeGreaterThan(3)
    expect(drawn).toBeLessThan(40)
    expect(await elementCount()).toBeLessThan(600)
    await screenshot(page, 'queue-500.png')
  })

  it('names every Cancel after its job', async () => {
    const newest = queue.getByRole('listitem').filter({ hasText: `Single product ${SINGLES}` })
    await newest.getByRole('button', { name: `Cancel 'Single product ${SINGLES}' 1024x1024`, exact: true }).waitFor()
    const names = await queue.getByRole('button', { name: /^Cancel/ }).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? b.textContent))
    expect(names.length).toBeGreaterThan(3)
    for (const name of names) expect(name).toMatch(/^Cancel (the rest|'.+' \d+x\d+)$/)
  })

  it('reaches the oldest job with the keyboard, loading older pages, and the page stays small', async () => {
    const list = queue.getByRole('list', { name: 'Jobs' })
    await list.getByRole('listitem').first().focus()
    const focused = (): Promise<string> => page.evaluate('document.activeElement?.textContent ?? ""') as Promise<string>
    // End goes to the last row loaded; the list asks for the next page on its way there.
    for (let i = 0; i < 5 && !(await focused()).includes('1536x1024'); i++) {
      await page.keyboard.press('End')
      await page.waitForTimeout(300)
    }
    await expect.poll(focused, { timeout: 15_000 }).toContain('product 200 on white')
    // Far down the batch its header is not drawn, but the rows are still the batch's own list.
    const group = queue.getByRole('listitem', { name: `Batch: ${ROWS} rows × 2 sizes · ${ROWS * 2} jobs` })
    const rows = group.getByRole('list', { name: `Jobs of Batch: ${ROWS} rows × 2 sizes · ${ROWS * 2} jobs` })
    await waitForText(rows.getByRole('listitem'), `product ${ROWS} on white`)
    expect(await rows.getByRole('listitem').last().getAttribute('aria-setsize')).toBe(String(ROWS * 2))
    expect(await elementCount()).toBeLessThan(600)

    await page.keyboard.press('Home')
    await expect.poll(focused).toContain(`Single product ${SINGLES}`)
    await page.keyboard.press('PageDown')
    await expect.poll(focused).not.toContain(`Single product ${SINGLES}`)
  })
})
