/**
 * The workspace's frame in real Chromium: the prompt bar stays in view at the window sizes a
 * designer works at, the queue is a drawer behind a strip in the header, the theme switches and
 * is remembered by the library, and "More options" folds the options set once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { chooseSizes, chooseSize, callBridge, closeQueue, openApp, openQueue, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

let mode: BrowserMode
let page: Page

beforeAll(async () => {
  mode = await startBrowserMode({ args: ['--demo-delay', '1500'], viewport: { width: 1280, height: 800 } })
  page = mode.page
  await openApp(mode)
})

afterAll(async () => {
  await mode?.close()
})

/** The little of the DOM these checks touch (the e2e project compiles without the DOM's types). */
interface PageElement {
  ownerDocument: { elementFromPoint(x: number, y: number): PageElement | null }
  contains(other: PageElement): boolean
  closest(selector: string): PageElement | null
}

/** True when the whole element is inside the window, not covered, without scrolling anything. */
async function fullyInView(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox()
  const viewport = page.viewportSize()
  if (!box || !viewport) return false
  const point = { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 8) }
  const onTop = await locator.evaluate((el: PageElement, p) => {
    const hit = el.ownerDocument.elementFromPoint(p.x, p.y)
    return hit !== null && (el === hit || el.contains(hit) || hit.contains(el) || el.closest('label')?.contains(hit) === true)
  }, point)
  return onTop && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height
}

/** Evaluates an expression in the page (a string: the renderer's CSP allows no eval, but this is CDP). */
const inPage = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>

const prompt = (): Locator => page.getByRole('textbox', { name: 'Prompt' })
const generateButton = (): Locator => page.getByRole('button', { name: 'Generate', exact: true })
const bodyBackground = (): Promise<string> => inPage('getComputedStyle(document.body).backgroundColor')
const documentScrolls = (): Promise<boolean> =>
  inPage('document.scrollingElement.scrollHeight > window.innerHeight + 1 || document.scrollingElement.scrollWidth > window.innerWidth + 1')
const focusedLabel = (): Promise<string | null> => inPage("document.activeElement?.getAttribute('aria-label') ?? null")
const appliedTheme = (): Promise<string | undefined> => inPage('document.documentElement.dataset.theme')

describe('browser mode: the workspace', () => {
  it('keeps the prompt, template, provider, key, sizes, cost and Generate in view at 1280x800 and 1440x900', async () => {
    // A key for OpenAI, so the key picker is part of the bar as well.
    const added = await callBridge(page, 'keys.add', { provider: 'openai', label: 'Studio', secret: 'sk-test-workspace-layout-0000' })
    expect(added).toMatchObject({ ok: true })
    await page.reload()
    await openApp(mode)

    for (const viewport of [{ width: 1280, height: 800 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(viewport)
      for (const provider of ['demo', 'openai']) {
        await page.getByRole('combobox', { name: 'Provider' }).selectOption(provider)
        await prompt().fill('A white-background packshot of a ceramic mug, soft daylight, 3/4 view')
        const controls: Locator[] = [
          prompt(),
          page.getByRole('combobox', { name: 'Template' }),
          page.getByRole('combobox', { name: 'Provider' }),
          page.getByRole('group', { name: 'Sizes' }).getByRole('checkbox').first(),
          page.getByRole('region', { name: 'Cost preview' }),
          generateButton(),
          page.locator('#generate-status'),
        ]
        if (provider === 'openai') controls.push(page.getByRole('combobox', { name: 'API key' }))
        for (const control of controls) {
          expect(await fullyInView(control), `${String(control)} at ${viewport.width}x${viewport.height} on ${provider}`).toBe(true)
        }
        expect(await documentScrolls()).toBe(false)
      }
    }
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('demo')
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('folds the output options into "More options", says what differs while folded, and remembers it open', async () => {
    const toggle = page.getByRole('button', { name: /More options/ })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await page.getByRole('combobox', { name: 'Quality' }).isVisible()).toBe(false)
    await toggle.click()
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('high')
    await page.getByRole('spinbutton', { name: 'Images per size' }).fill('2')
    await toggle.click()
    await waitForText(toggle, 'High quality · 2 per size')
    await toggle.click()
    // The disclosure is remembered by the library: a reload comes back with it open.
    await expect.poll(async () => (await callBridge<{ layout: { moreOptionsOpen?: boolean } }>(page, 'workspace.get', {})).value?.layout.moreOptionsOpen).toBe(true)
    await page.reload()
    await openApp(mode)
    await expect.poll(() => page.getByRole('button', { name: /More options/ }).getAttribute('aria-expanded')).toBe('true')
    await page.getByRole('spinbutton', { name: 'Images per size' }).fill('1')
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('auto')
  })

  it('shows the queue as a strip that opens a drawer, and hands focus back when it closes', async () => {
    const strip = page.getByRole('button', { name: 'Queue', exact: true })
    expect(await strip.getAttribute('aria-expanded')).toBe('false')
    expect(await page.getByRole('region', { name: 'Queue' }).count()).toBe(0)
    await waitForText(page.locator('#queue-strip-summary'), 'Idle')

    await page.getByRole('combobox', { name: 'Provider' }).selectOption('demo')
    await prompt().fill('Linen tote bag on a wooden stool')
    await chooseSize(page, '1024x1024')
    await chooseSize(page, '1536x1024')
    await generateButton().click()
    // While the demo provider works (1.5 s an image), the strip counts the work and shows progress.
    await waitForText(page.locator('#queue-strip-summary'), /\d+ (running|queued)/)
    expect(await strip.getByRole('progressbar', { name: 'Work in flight' }).count()).toBe(1)

    await strip.click()
    const queue = page.getByRole('region', { name: 'Queue' })
    await queue.waitFor()
    expect(await strip.getAttribute('aria-expanded')).toBe('true')
    await expect.poll(() => focusedLabel()).toBe('Close the queue')
    await waitForText(queue.getByRole('listitem').filter({ hasText: 'Linen tote bag' }).first(), 'Linen tote bag')
    await screenshot(page, 'queue-drawer.png')

    await page.keyboard.press('Escape')
    await queue.waitFor({ state: 'hidden' })
    expect(await strip.getAttribute('aria-expanded')).toBe('false')
    await expect.poll(() => focusedLabel()).toBe('Queue')

    // Done: the counts settle and the progress bar goes.
    const region = await openQueue(page)
    const group = region.getByRole('listitem').filter({ hasText: 'Linen tote bag' }).first()
    await waitForText(group, /2 done/, 30_000)
    await closeQueue(page)
    await waitForText(page.locator('#queue-strip-summary'), 'Idle')
    expect(await strip.getByRole('progressbar').count()).toBe(0)
  })

  it('switches between light, dark and system themes and remembers the choice in the library', async () => {
    const theme = page.getByRole('radiogroup', { name: 'Theme' })
    await page.emulateMedia({ colorScheme: 'light' })
    await theme.getByRole('radio', { name: 'System' }).click()
    const light = await bodyBackground()
    await page.emulateMedia({ colorScheme: 'dark' })
    const systemDark = await bodyBackground()
    expect(systemDark).not.toBe(light)

    await page.emulateMedia({ colorScheme: 'light' })
    await theme.getByRole('radio', { name: 'Dark' }).click()
    expect(await theme.getByRole('radio', { name: 'Dark' }).getAttribute('aria-checked')).toBe('true')
    expect(await bodyBackground()).toBe(systemDark)
    // Controls ease into the new colours (120 ms): the picture waits for them to arrive.
    await inPage('Promise.all(document.getAnimations().map((a) => a.finished))')
    await screenshot(page, 'workspace-dark.png')

    // The library remembers it: without the page's own hint, a reload still comes back dark.
    const { value } = await callBridge<{ layout: { theme?: string } }>(page, 'workspace.get', {})
    expect(value?.layout.theme).toBe('dark')
    await inPage('window.localStorage.clear()')
    await page.reload()
    await openApp(mode)
    await expect.poll(() => appliedTheme()).toBe('dark')
    expect(await bodyBackground()).toBe(systemDark)

    // Arrow keys move the choice, as in any radio group.
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'Dark' }).focus()
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => appliedTheme()).toBe('light')
    expect(await bodyBackground()).toBe(light)
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'System' }).click()
  })

  it('shows a day of product shots: the README picture, flat and grouped', async () => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'Light' }).click()
    const shots: [string, string[]][] = [
      ['Matte black water bottle on pale concrete, hard noon light', ['1024x1024', '1024x1536']],
      ['Amber glass candle jar with a wooden lid, linen backdrop', ['1024x1024', '1536x1024']],
    ]
    for (const [text, chosen] of shots) {
      await prompt().fill(text)
      await chooseSizes(page, chosen)
      await generateButton().click()
    }
    const gallery = page.getByRole('region', { name: 'Gallery' })
    for (const [text] of shots) await expect.poll(() => gallery.getByRole('img', { name: text }).count(), { timeout: 30_000 }).toBe(2)
    await prompt().fill('Ceramic espresso cup and saucer, top-down, soft window light')
    await gallery.getByRole('img', { name: shots[1]![0] }).first().hover()
    await screenshot(page, 'workspace.png')

    await gallery.getByRole('button', { name: 'Grouped' }).click()
    await waitForText(gallery, shots[0]![0])
    await screenshot(page, 'gallery-groups.png')
    await gallery.getByRole('button', { name: 'Flat' }).click()
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'System' }).click()
  })
})
