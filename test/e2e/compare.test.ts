import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { callBridge, chooseSizes, closeQueue, openApp, openQueue, screenshot, showMoreOptions, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// Compare end to end in real Chromium at 1440x900: images from the offline demo provider, three
// chosen in the gallery and compared; zoom and pan read back from every pane's transform; Keep and
// Discard checked through the bridge; then a whole generation through its header's "Compare all".

const OAK = 'Linen tote bag, flat lay on oak'
const MARBLE = 'Linen tote bag, flat lay on marble'
const SIZES = ['1024x1024', '1536x1024', '1024x1536']

let mode: BrowserMode
let page: Page
let gallery: Locator

beforeAll(async () => {
  mode = await startBrowserMode({ viewport: { width: 1440, height: 900 } })
  page = mode.page
  await openApp(mode)
  gallery = page.getByRole('region', { name: 'Gallery' })
  await waitForText(gallery, 'No images yet')
})

afterAll(async () => {
  await mode?.close()
})

/** Fills the Generate form, presses Generate and waits until each of its jobs succeeded. */
async function generate(prompt: string, sizes: string[], perSize: number): Promise<void> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
  await chooseSizes(page, sizes)
  await showMoreOptions(page)
  await page.getByRole('spinbutton', { name: 'Images per size' }).fill(String(perSize))
  await page.getByRole('button', { name: 'Generate' }).click()
  const rows = (await openQueue(page)).getByRole('listitem').filter({ hasText: prompt })
  await rows.nth(sizes.length - 1).waitFor()
  for (let i = 0; i < sizes.length; i++) await waitForText(rows.nth(i), 'Succeeded')
  await closeQueue(page)
}

/** The first thumbnail of this prompt and pixel size (its width and height attributes are the image's). */
const tile = (prompt: string, width: number, height: number): Locator =>
  gallery.getByRole('grid', { name: 'Images' }).locator(`img[width="${width}"][height="${height}"]`).and(page.getByRole('img', { name: prompt, exact: true })).first()

const compareRegion = (): Locator => page.getByRole('region', { name: 'Compare' })
const panes = (): Locator => compareRegion().getByRole('group', { name: /^Image \d of \d$/ })

/** What the page's <img> elements tell (this file compiles without the DOM's types). */
interface LoadedImage {
  complete: boolean
  naturalWidth: number
  naturalHeight: number
}

/** Every compared image's CSS transform, as the browser holds it. */
async function transforms(): Promise<string[]> {
  return compareRegion()
    .locator('img')
    .evaluateAll((imgs) => imgs.map((img) => (img as unknown as { style: { transform: string } }).style.transform))
}

/** The transforms once they are all the same, and that one value. */
async function sharedTransform(): Promise<string> {
  const all = await transforms()
  expect(all.length).toBeGreaterThanOrEqual(2)
  expect(new Set(all).size).toBe(1)
  return all[0]!
}

const scaleOf = (transform: string): number => Number(/scale\(([\d.]+)\)/.exec(transform)?.[1])
const translateOf = (transform: string): [number, number] => {
  const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(transform)
  return [Number(m?.[1]), Number(m?.[2])]
}

async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = (await locator.boundingBox())!
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

const activePane = (): Promise<string> => page.evaluate(`document.activeElement?.closest('[role="group"]')?.getAttribute('aria-label') ?? ''`)

describe('browser mode: compare', () => {
  it('compares three chosen images with one zoom and pan, marks what differs, keeps one and discards one', async () => {
    await generate(OAK, SIZES, 2)
    await generate(MARBLE, ['1024x1024'], 1)
    await waitForText(gallery, '7 images')

    // "Compare all" is styled before the Compare view (and the style sheet that comes with it) has
    // ever been opened: a plain link-like action, not the browser's grey button.
    const arrange = gallery.getByRole('group', { name: 'Arrange images' })
    await arrange.getByRole('button', { name: 'Grouped' }).click()
    const compareAll = gallery.getByRole('rowheader').filter({ hasText: OAK }).getByRole('button', { name: 'Compare all' })
    // (Runs in the page: globalThis is its window; this file compiles without the DOM's types.)
    const background = await compareAll.evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor)
    expect(background).toBe('rgba(0, 0, 0, 0)')
    await arrange.getByRole('button', { name: 'Flat' }).click()

    // One image is no comparison; the panes then run in gallery order, the marble image (newest) first.
    await tile(MARBLE, 1024, 1024).click()
    const compare = gallery.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Compare' })
    expect(await compare.getAttribute('aria-disabled')).toBe('true')
    // And it looks it, before the Compare view's own style sheet was ever loaded.
    expect(await compare.evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(b).opacity)).toBe('0.55')
    await waitForText(gallery, 'Select one more image to compare')
    await tile(OAK, 1536, 1024).click({ modifiers: ['Control'] })
    await tile(OAK, 1024, 1536).click({ modifiers: ['Control'] })
    expect(await compare.getAttribute('aria-disabled')).toBe('false')
    await compare.click()

    const region = compareRegion()
    await region.waitFor()
    await expect.poll(() => panes().count()).toBe(3)
    await expect
      .poll(() => region.locator('img').evaluateAll((imgs) => (imgs as unknown as LoadedImage[]).every((i) => i.complete && i.naturalWidth > 0)))
      .toBe(true)
    // What differs is marked for the eye and for a screen reader; what is alike is not.
    const first = panes().nth(0)
    await expect.poll(() => first.textContent()).toContain('Differs from the others in: prompt, size, images per request.')
    expect(await first.locator('mark').allTextContents()).toEqual(['marble'])
    expect(await panes().nth(1).locator('mark').allTextContents()).toEqual(['oak'])
    expect(await panes().nth(2).locator('mark').allTextContents()).toEqual(['oak'])
    expect(await first.locator('.is-different dt').allTextContents()).toEqual(['Size', 'Images per request'])
    expect(await first.locator('.is-different dd').allTextContents()).toEqual(['1024 × 1024 (differs)', '1 (differs)'])
    expect(await first.locator('.compare-fact', { hasText: 'Quality' }).locator('.visually-hidden').count()).toBe(0)

    // Fit: one scale for all, the one that fits the widest image.
    const fitted = await sharedTransform()
    expect(await region.getByRole('button', { name: 'Fit' }).getAttribute('aria-pressed')).toBe('true')

    await page.setViewportSize({ width: 1440, height: 900 })
    await screenshot(page, 'compare.png')

    // Wheel over the second pane: every pane zooms by the same amount.
    const second = await centreOf(panes().nth(1).locator('.compare-stage'))
    await page.mouse.move(second.x, second.y)
    await page.mouse.wheel(0, -400)
    await expect.poll(async () => scaleOf((await transforms())[0]!)).toBeGreaterThan(scaleOf(fitted))
    const zoomed = await sharedTransform()
    expect(await region.getByRole('button', { name: 'Fit' }).getAttribute('aria-pressed')).toBe('false')

    // Drag in the third pane: every pane pans by the same distance.
    const stage = await centreOf(panes().nth(2).locator('.compare-stage'))
    await page.mouse.move(stage.x, stage.y)
    await page.mouse.down()
    await page.mouse.move(stage.x + 60, stage.y + 40, { steps: 4 })
    await page.mouse.up()
    const panned = await sharedTransform()
    expect(scaleOf(panned)).toBe(scaleOf(zoomed))
    const [x0, y0] = translateOf(zoomed)
    const [x1, y1] = translateOf(panned)
    expect(x1 - x0).toBeCloseTo(60, 0)
    expect(y1 - y0).toBeCloseTo(40, 0)

    // The keys: 1 is 100%, 0 fits again; ← and → step the focus between panes.
    await first.focus()
    await page.keyboard.press('1')
    expect(scaleOf(await sharedTransform())).toBe(1)
    await page.keyboard.press('0')
    expect(await sharedTransform()).toBe(fitted)
    await page.keyboard.press('ArrowRight')
    expect(await activePane()).toBe('Image 2 of 3')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await activePane()).toBe('Image 3 of 3')
    await page.keyboard.press('ArrowLeft')
    expect(await activePane()).toBe('Image 2 of 3')

    // Keep stars the focused image (F, as in the gallery), recorded in the library.
    await page.keyboard.press('f')
    const keep = panes().nth(1).getByRole('button', { name: 'Keep' })
    await expect.poll(() => keep.getAttribute('aria-pressed')).toBe('true')
    const keptSize = await panes().nth(1).locator('img').evaluate((el) => {
      const img = el as unknown as LoadedImage
      return `${img.naturalWidth}x${img.naturalHeight}`
    })
    const starred = await callBridge<{ images: { prompt: string; width: number; height: number }[] }>(page, 'gallery.list', { favorite: true })
    expect(starred.value?.images.map((i) => [i.prompt, `${i.width}x${i.height}`])).toEqual([[OAK, keptSize]])
    await panes().nth(0).getByRole('button', { name: 'Keep' }).click()
    await expect.poll(async () => (await callBridge<{ images: unknown[] }>(page, 'gallery.list', { favorite: true })).value?.images.length).toBe(2)

    // Discard asks first, as the gallery's Delete does, then the pane leaves the view.
    await panes().nth(2).getByRole('button', { name: 'Discard' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete this image?' })
    await confirm.getByRole('button', { name: 'Move to trash' }).click()
    await expect.poll(() => panes().count()).toBe(2)
    await expect.poll(async () => (await callBridge<{ total?: number }>(page, 'gallery.list', {})).value?.total).toBe(6)
    await expect.poll(activePane).toMatch(/^Image \d of 2$/)

    // Escape closes, and focus goes back to the Compare button it came from.
    await page.keyboard.press('Escape')
    await region.waitFor({ state: 'detached' })
    expect(await page.evaluate(`document.activeElement?.textContent ?? ''`)).toBe('Compare')
  })

  it('compares a whole generation from its header, four at a time', async () => {
    await gallery.getByRole('group', { name: 'Arrange images' }).getByRole('button', { name: 'Grouped' }).click()
    const oakGroup = gallery.getByRole('rowheader').filter({ hasText: OAK })
    await oakGroup.getByRole('button', { name: 'Compare all' }).click()
    const region = compareRegion()
    await region.waitFor()
    await waitForText(region, 'Images 1–4 of 5')
    await expect.poll(() => panes().count()).toBe(4)
    await region.getByRole('button', { name: 'Next images' }).click()
    await waitForText(region, 'Images 2–5 of 5')
    expect(await region.getByRole('button', { name: 'Next images' }).isDisabled()).toBe(true)
    await page.keyboard.press('Escape')
    await region.waitFor({ state: 'detached' })

    // The marble generation has one image left: nothing to compare, so no button.
    expect(await gallery.getByRole('rowheader').filter({ hasText: MARBLE }).getByRole('button', { name: 'Compare all' }).count()).toBe(0)
  })
})
