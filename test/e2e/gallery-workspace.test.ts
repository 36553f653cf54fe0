import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { chooseSizes, callBridge, openApp, startBrowserMode, waitForText, type BrowserMode, signIn } from './browser-mode'

// The gallery as the page, end to end in real Chromium at 1440x900: placeholder tiles from the
// moment Generate is pressed (the demo provider takes 1.5 s an image, so a placeholder seen
// before its image is one the page put up itself), a failure with Retry (OpenAI pointed at the
// local provider server with a key it refuses), groups with their cost, filters by name, and the
// Tile size slider remembered across a reload.

const TOTE = 'Linen tote bag, flat lay on oak'
const MUG = 'Ceramic mug, white background, soft daylight'

let server: ProviderServer
let mode: BrowserMode
let page: Page
let gallery: Locator
let keyId = ''

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode({ viewport: { width: 1440, height: 900 }, args: ['--demo-delay', '1500'] })
  page = mode.page
  await signIn(mode)
  // Set up the way Settings would: OpenAI at the local server, with a key it does not accept.
  expect(await callBridge(page, 'providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })).toMatchObject({ ok: true })
  const key = await callBridge<{ id: string }>(page, 'keys.add', { provider: 'openai', label: 'studio', secret: 'sk-proj-not-a-key-this-server-knows' })
  expect(key.ok).toBe(true)
  keyId = key.value!.id
  await openApp(mode)
  gallery = page.getByRole('region', { name: 'Gallery' })
  await waitForText(gallery, 'No images yet')
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
})

const images = (prompt: string): Locator => gallery.getByRole('grid', { name: 'Images' }).getByRole('img', { name: prompt, exact: true })
const progressbars = (): Locator => gallery.getByRole('grid', { name: 'Images' }).getByRole('progressbar')

async function fillForm(provider: string, prompt: string, sizes: string[]): Promise<void> {
  await page.getByRole('combobox', { name: 'Provider' }).selectOption(provider)
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
  await chooseSizes(page, sizes)
}

async function tileWidth(): Promise<number> {
  return gallery.getByRole('gridcell').first().evaluate((cell) => cell.getBoundingClientRect().width)
}

describe('browser mode: the gallery as the page', () => {
  it('puts a placeholder per expected image at the top when Generate is pressed, which turns into the image', async () => {
    await fillForm('demo', TOTE, ['1024x1024', '1536x1024'])
    const pressed = Date.now()
    await page.getByRole('button', { name: 'Generate' }).click()
    await expect.poll(() => progressbars().count(), { interval: 20 }).toBe(2)
    // Measured for the record, not asserted: the issue asks for under 300 ms.
    console.info(`placeholders in the gallery ${Date.now() - pressed} ms after Generate`)
    // Put up by the page itself: the images (1.5 s each at the demo provider) are not there yet.
    expect(await images(TOTE).count()).toBe(0)
    const first = gallery.getByRole('gridcell').first()
    await waitForText(first, /Queued|Running/)
    expect(await first.getAttribute('aria-colindex')).toBe('1')

    await expect.poll(() => images(TOTE).count(), { timeout: 20_000 }).toBe(2)
    await expect.poll(() => progressbars().count()).toBe(0)
  })

  it('shows a failed job where its image would be, with Retry; Retry once the key is fixed brings the image', async () => {
    await fillForm('openai', MUG, ['1024x1024'])
    await page.getByRole('combobox', { name: 'API key' }).selectOption(keyId)
    await page.getByRole('button', { name: 'Generate' }).click()
    const failed = gallery.getByRole('gridcell').filter({ hasText: 'Failed' })
    await failed.waitFor({ timeout: 30_000 })
    expect(await failed.count()).toBe(1)
    expect(await failed.getByRole('progressbar').count()).toBe(0)
    // Keyboard users get there too: it is the grid's first cell, and its buttons follow it.
    expect(await gallery.getByRole('gridcell').first().textContent()).toContain('Failed')

    expect(await callBridge(page, 'keys.rotate', { id: keyId, secret: server.validKey('openai') })).toMatchObject({ ok: true })
    await failed.getByRole('button', { name: 'Retry' }).click()
    await images(MUG).waitFor({ timeout: 30_000 })
    expect(await gallery.getByRole('gridcell').filter({ hasText: 'Failed' }).count()).toBe(0)
  })

  it('groups a generation under a header with its prompt, images, sizes and cost', async () => {
    await gallery.getByRole('button', { name: 'Grouped' }).click()
    const tote = gallery.getByRole('rowheader').filter({ hasText: TOTE })
    await tote.waitFor()
    expect(await tote.textContent()).toContain('2 images')
    expect(await tote.textContent()).toContain('1024x1024')
    expect(await tote.textContent()).toContain('charged $0.00')
    // OpenAI bills tokens: the reply's usage at gpt-image-2's token prices, not the $0.22 list price.
    await waitForText(gallery.getByRole('rowheader').filter({ hasText: MUG }), 'charged $0.042')
    await gallery.getByRole('button', { name: 'Flat' }).click()
    await expect.poll(() => gallery.getByRole('rowheader').count()).toBe(0)
  })

  it('lists sources by their names and tells two batches of one prompt apart', async () => {
    // The same prompt at two sizes again: a second batch of the same name.
    await fillForm('demo', TOTE, ['1024x1024', '1536x1024'])
    await page.getByRole('button', { name: 'Generate' }).click()
    await expect.poll(() => images(TOTE).count(), { timeout: 20_000 }).toBe(4)

    await gallery.getByRole('button', { name: /^Filters/ }).click()
    // Counts follow new images after a short pause.
    const sources = gallery.getByRole('combobox', { name: 'Filter by source' }).getByRole('option')
    await expect.poll(() => sources.allTextContents()).toEqual(['Any source', 'Demo (offline, free) (4)', 'OpenAI (1)'])
    const batch = gallery.getByRole('combobox', { name: 'Filter by batch' })
    await expect.poll(async () => (await batch.getByRole('option').allTextContents()).length).toBe(3)
    const batches = (await batch.getByRole('option').allTextContents()).slice(1)
    expect(new Set(batches).size).toBe(2)
    for (const label of batches) expect(label).toContain('2 images')
    await batch.selectOption({ index: 1 })
    await expect.poll(() => images(TOTE).count()).toBe(2)
    await expect.poll(async () => gallery.getByRole('button', { name: /^Filters/ }).textContent()).toBe('Filters (1)')
    await gallery.getByRole('button', { name: 'Clear filters' }).click()
    await gallery.getByRole('button', { name: /^Filters/ }).click()
    await expect.poll(() => images(TOTE).count()).toBe(4)
  })

  it('sizes tiles with the Tile size slider, at least 240 px by default, and remembers the size after a reload', async () => {
    const before = await tileWidth()
    expect(before).toBeGreaterThanOrEqual(240)
    const slider = gallery.getByRole('slider', { name: 'Tile size' })
    await slider.fill('0')
    await expect.poll(tileWidth).toBeLessThan(before)
    const small = await tileWidth()
    expect(small).toBeGreaterThanOrEqual(160)
    expect(await gallery.getByRole('grid', { name: 'Images' }).getAttribute('aria-colcount')).toBe('6')

    await page.reload()
    await images(MUG).waitFor()
    expect(await gallery.getByRole('slider', { name: 'Tile size' }).inputValue()).toBe('0')
    await expect.poll(tileWidth).toBe(small)
  })

  it('keeps every tile inside the grid: the star of the right-hand tile shows whole', async () => {
    const grid = gallery.getByRole('grid', { name: 'Images' })
    // The grid's own width, without its scrollbar.
    const inside = await grid.evaluate((g) => ({ left: g.getBoundingClientRect().left, right: g.getBoundingClientRect().left + g.clientWidth }))
    const cells = gallery.getByRole('gridcell')
    const boxes = await cells.evaluateAll((all) => all.map((c) => c.getBoundingClientRect().toJSON() as { left: number; right: number }))
    expect(boxes.length).toBeGreaterThan(0)
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(inside.left)
      expect(box.right).toBeLessThanOrEqual(inside.right)
    }
    const rightmost = boxes.reduce((best, box, i) => (box.right > boxes[best]!.right ? i : best), 0)
    const cell = cells.nth(rightmost)
    await cell.hover()
    const star = cell.getByRole('button', { name: 'Favorite' })
    await star.waitFor()
    const starBox = (await star.boundingBox())!
    const cellBox = (await cell.boundingBox())!
    expect(starBox.x + starBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width)
    expect(starBox.y).toBeGreaterThanOrEqual(cellBox.y)
    // Clickable where it is drawn: the star is the topmost thing at its centre.
    await star.click()
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true')
  })
})
