import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { chooseSizes, chosenSizes, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue, closeQueue } from './browser-mode'

// The gallery end to end: browser mode on a fresh library, real Chromium, images rendered by the
// offline demo provider. Controls are found by role and accessible name.

const SNEAKER = 'Red sneaker on a white background'
const TEAPOT = 'Blue teapot on slate, studio light'
const POSTER = 'Poster for a summer sale, bold type'

let mode: BrowserMode
let page: Page
let gallery: Locator

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  await mode.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mode.origin })
  await openApp(mode)
  gallery = page.getByRole('region', { name: 'Gallery' })
  await waitForText(gallery, 'No images yet — write a prompt and press Generate.')
})

afterAll(async () => {
  await mode?.close()
})

/** Fills the Generate form, presses Generate and waits until every job of it succeeded. */
async function generate(prompt: string, sizes: string[]): Promise<void> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
  await chooseSizes(page, sizes)
  await page.getByRole('button', { name: 'Generate' }).click()
  const rows = (await openQueue(page)).getByRole('listitem').filter({ hasText: prompt })
  await rows.nth(sizes.length - 1).waitFor()
  for (let i = 0; i < sizes.length; i++) await waitForText(rows.nth(i), 'Succeeded')
  await closeQueue(page)
}

const thumbs = (): Locator => gallery.getByRole('grid', { name: 'Images' }).getByRole('img')

/** The filters fold under the toolbar's "Filters" button. */
async function openFilters(): Promise<void> {
  const toggle = gallery.getByRole('button', { name: /^Filters/ })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
}
const cell = (prompt: string): Locator => gallery.getByRole('gridcell').filter({ has: page.getByRole('img', { name: prompt }) })

async function shownPrompts(): Promise<string[]> {
  return (await thumbs().evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt') ?? ''))).sort()
}

async function expectShown(prompts: string[]): Promise<void> {
  await expect.poll(shownPrompts, { timeout: 15_000 }).toEqual([...prompts].sort())
}

describe('browser mode: the gallery', () => {
  it('fills with generated images, newest first, thumbnails loaded', async () => {
    await generate(SNEAKER, ['1024x1024'])
    await generate(TEAPOT, ['1536x1024'])
    await generate(POSTER, ['1024x1536', '1024x1024'])
    await waitForText(gallery, '4 images')
    await expectShown([SNEAKER, TEAPOT, POSTER, POSTER])
    const order = await thumbs().evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))
    expect(order.slice(0, 2)).toEqual([POSTER, POSTER])
    expect(order.at(-1)).toBe(SNEAKER)
    await expect
      .poll(() => page.evaluate(`[...document.querySelectorAll('[role="grid"] img')].every((img) => img.complete && img.naturalWidth > 0)`))
      .toBe(true)
  })

  it('searches prompts and filters by size', async () => {
    const search = gallery.getByRole('searchbox', { name: 'Search prompts' })
    await search.fill('teapot')
    await expectShown([TEAPOT])
    await waitForText(gallery, '1 matching')
    await search.fill('')
    await expectShown([SNEAKER, TEAPOT, POSTER, POSTER])

    await openFilters()
    const size = gallery.getByRole('combobox', { name: 'Filter by size' })
    await size.selectOption('1024x1536')
    await expectShown([POSTER])
    await size.selectOption('1024x1024')
    await expectShown([SNEAKER, POSTER])
    await gallery.getByRole('button', { name: 'Clear filters' }).click()
    await expectShown([SNEAKER, TEAPOT, POSTER, POSTER])
  })

  it('moves with the arrow keys, stars with F, and filters favorites', async () => {
    const first = gallery.getByRole('gridcell').first()
    await first.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    const focusedAlt = await page.evaluate(`document.activeElement?.querySelector('img')?.alt ?? ''`)
    expect(focusedAlt).toBe(TEAPOT)
    await page.keyboard.press('f')
    await expect.poll(() => cell(TEAPOT).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('true')

    await openFilters()
    await gallery.getByRole('checkbox', { name: 'Favorites only' }).check()
    await expectShown([TEAPOT])
    await gallery.getByRole('checkbox', { name: 'Favorites only' }).uncheck()
    await expectShown([SNEAKER, TEAPOT, POSTER, POSTER])
  })

  it('selects with click and Ctrl-click, tags the selection, and filters by the tag', async () => {
    await cell(SNEAKER).locator('img').click()
    await cell(TEAPOT).locator('img').click({ modifiers: ['Control'] })
    const bar = gallery.getByRole('toolbar', { name: 'Selection' })
    await waitForText(bar, '2 selected')
    expect(await bar.getByRole('button', { name: 'Export selected' }).isEnabled()).toBe(true)

    await bar.getByRole('textbox', { name: 'Tag for selected images' }).fill('Hero shot')
    await bar.getByRole('button', { name: 'Add tag' }).click()
    await waitForText(gallery, 'Tagged 2 images “Hero shot”.')
    // A tile's tags show with its prompt and size, on hover.
    await cell(SNEAKER).hover()
    await waitForText(cell(SNEAKER), 'Hero shot')
    await screenshot(page, 'gallery.png')
    await page.emulateMedia({ colorScheme: 'dark' })
    await screenshot(page, 'gallery-dark.png')
    await page.emulateMedia({ colorScheme: 'light' })

    await openFilters()
    const tag = gallery.getByRole('combobox', { name: 'Filter by tag' })
    await waitForText(tag, 'Hero shot (2)')
    await tag.selectOption('Hero shot')
    await expectShown([SNEAKER, TEAPOT])
    await gallery.getByRole('button', { name: 'Clear filters' }).click()
    await expectShown([SNEAKER, TEAPOT, POSTER, POSTER])
  })

  it('opens the detail with Enter: full image, zoom, parameters, copy; "Use these settings" fills the Generate form', async () => {
    await cell(TEAPOT).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Image details' })
    await dialog.waitFor()
    const full = dialog.getByRole('img', { name: TEAPOT })
    // Polled with evaluate: waitForFunction's polling would need eval, which our CSP forbids.
    await expect
      .poll(() => page.evaluate(`[...document.querySelectorAll('dialog img')].map((img) => img.complete && img.naturalWidth + 'x' + img.naturalHeight)`))
      .toEqual(['1536x1024'])
    // Beside the page, under the app's own path, where the session cookie is scoped.
    expect(await full.getAttribute('src')).toMatch(/^\/s\/[0-9a-f]{24}\/media\/images\//)
    await waitForText(dialog, '1536 × 1024 px')
    // The provider by its profile's name.
    await waitForText(dialog, 'Demo (offline, free)')
    await waitForText(dialog, join(mode.home, 'images'))

    // The toolbar reads "− 42% + Fit 100%": the scale shown between out and in, then the presets.
    const zoom = dialog.getByRole('toolbar', { name: 'Zoom' })
    expect(await zoom.getByRole('button', { name: 'Fit to window' }).getAttribute('aria-pressed')).toBe('true')
    expect(await zoom.getByRole('status', { name: 'Zoom level' }).textContent()).toMatch(/^\d+%$/)
    await dialog.getByRole('button', { name: 'Zoom in' }).click()
    await waitForText(zoom, /\d+%/)
    expect(await zoom.getByRole('button', { name: 'Fit to window' }).getAttribute('aria-pressed')).toBe('false')
    expect(await full.evaluate((img) => img.getBoundingClientRect().width)).toBeGreaterThan(0)
    // The checkerboard that shows transparency lies under the image alone, not the letterbox around it.
    const backgroundOf = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundImage`)
    expect(await backgroundOf('dialog .zoom-viewer img')).toMatch(/conic-gradient/)
    expect(await backgroundOf('dialog .zoom-viewer')).toBe('none')

    await dialog.getByRole('button', { name: 'Copy image' }).click()
    await waitForText(dialog, 'Image copied to the clipboard.')
    const types = await page.evaluate(`navigator.clipboard.read().then((items) => items.flatMap((item) => item.types))`)
    expect(types).toContain('image/png')
    await screenshot(page, 'gallery-detail.png')

    // Start the form from something else, so the reuse is visible.
    await dialog.getByRole('button', { name: 'Use these settings' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe(TEAPOT)
    expect(await page.getByRole('combobox', { name: 'Provider' }).inputValue()).toBe('demo')
    expect((await chosenSizes(page)).includes('1536x1024')).toBe(true)
    expect((await chosenSizes(page)).includes('1024x1536')).toBe(false)
    await expect.poll(() => page.evaluate(`document.activeElement?.id`)).toBe('prompt')
  })

  it('deletes an image to the library trash folder, saying so first', async () => {
    const before = readdirSync(join(mode.home, 'images'), { recursive: true }).filter((f) => String(f).endsWith('.png'))
    await cell(SNEAKER).locator('img').click()
    await gallery.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Delete…' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete this image?' })
    await waitForText(confirm, join(mode.home, 'trash'))
    await confirm.getByRole('button', { name: 'Move to trash' }).click()
    await waitForText(gallery, 'Moved 1 image to')
    await expectShown([TEAPOT, POSTER, POSTER])
    await waitForText(gallery, '3 images')
    expect(existsSync(join(mode.home, 'trash'))).toBe(true)
    expect(readdirSync(join(mode.home, 'trash'))).toHaveLength(1)
    const after = readdirSync(join(mode.home, 'images'), { recursive: true }).filter((f) => String(f).endsWith('.png'))
    expect(after).toHaveLength(before.length - 1)
  })
})
