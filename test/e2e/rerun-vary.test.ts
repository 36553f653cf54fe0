import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { ImageView, JobView } from '../../src/shared/api'
import { callBridge, openApp, screenshot, showMoreOptions, sizeChoice, startBrowserMode, type BrowserMode } from './browser-mode'

// The creative loop end to end in real Chromium at 1440x900, on the demo provider: a template
// generation at two sizes (Ctrl+Enter in the prompt box), Rerun on a tile (placeholders at once, a
// new group right above the old one, the same settings in jobs.list), Vary with a tweak (one job
// with the new prompt), prompt recall with ↑ ↓ and the History list (starred prompts marked), and
// "Use these settings" bringing back the template with its values and every size.

const PRODUCT = 'a red enamel mug'
const PROMPT = `Packshot of ${PRODUCT} on white`
const TWEAKED = `${PROMPT}, morning light`
const EARLIER = ['Linen tote bag, flat lay on oak', 'Ceramic teapot, studio light, 3/4 view', 'Poster for a summer sale, bold type']

let mode: BrowserMode
let page: Page
let gallery: Locator

beforeAll(async () => {
  mode = await startBrowserMode({ viewport: { width: 1440, height: 900 }, args: ['--demo-delay', '700'] })
  page = mode.page
  await openApp(mode)
  expect(await callBridge(page, 'templates.save', { name: 'Packshot', body: 'Packshot of {{product}} on white' })).toMatchObject({ ok: true })
  // Earlier work, so the history has more than today's prompts.
  for (const prompt of EARLIER) {
    expect(await callBridge(page, 'jobs.generate', { provider: 'demo', prompt, sizes: [{ width: 1024, height: 1024 }] })).toMatchObject({ ok: true })
  }
  await page.reload()
  await page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
  gallery = page.getByRole('region', { name: 'Gallery' })
  await page.getByRole('group', { name: 'Arrange images' }).getByRole('button', { name: 'Grouped' }).click()
}, 60_000)

afterAll(async () => {
  await mode?.close()
})

const jobs = async (): Promise<JobView[]> => (await callBridge<{ jobs: JobView[] }>(page, 'jobs.list', {})).value!.jobs
const images = async (): Promise<ImageView[]> => (await callBridge<{ images: ImageView[] }>(page, 'gallery.list', {})).value!.images
const promptBox = (): Locator => page.getByRole('textbox', { name: 'Prompt' })
const progressbars = (): Locator => gallery.getByRole('grid', { name: 'Images' }).getByRole('progressbar')
/** The grid cell showing this image (found by its thumbnail's file name). */
const tileOf = (image: ImageView): Locator =>
  gallery.getByRole('gridcell').filter({ has: page.locator(`img[src*="${image.thumb.split('/').at(-1)!}"]`) })
const settled = async (count: number): Promise<void> => {
  await expect.poll(async () => (await jobs()).filter((j) => j.status === 'succeeded').length, { timeout: 30_000 }).toBe(count)
  await expect.poll(() => progressbars().count(), { timeout: 10_000 }).toBe(0)
}
const groupHeaders = (): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll('.group-header')].map((h) => [...h.querySelectorAll('.group-rerun, .group-prompt')].map((p) => p.textContent).join(' '))`)

describe('browser mode: rerun, vary, prompt history, use these settings', () => {
  it('generates from a template at two sizes with Ctrl+Enter in the prompt box', async () => {
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'Packshot' })
    await page.getByRole('textbox', { name: 'product' }).fill(PRODUCT)
    await expect.poll(() => promptBox().inputValue()).toBe(PROMPT)
    for (const size of ['1024x1024', '1536x1024', '1024x1536']) await sizeChoice(page, size).setChecked(size !== '1024x1536')
    await showMoreOptions(page)
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('high')
    await promptBox().focus()
    await page.keyboard.press('Control+Enter')
    await settled(5)
    const made = (await jobs()).filter((j) => j.prompt === PROMPT)
    expect(made.map((j) => j.size).sort()).toEqual(['1024x1024', '1536x1024'])
  })

  it('reruns a tile’s job at once, as a new group right above the old one', async () => {
    const wide = (await images()).find((i) => i.prompt === PROMPT && i.width === 1536)!
    const before = await jobs()
    await tileOf(wide).hover()
    await tileOf(wide).getByRole('button', { name: 'Rerun' }).click()
    // Put up by the page at once, before the demo provider draws anything.
    await expect.poll(() => progressbars().count(), { interval: 20 }).toBe(1)
    expect(await promptBox().inputValue()).toBe(PROMPT)
    const after = await jobs()
    expect(after).toHaveLength(before.length + 1)
    const source = before.find((j) => j.id === wide.jobId)!
    const rerun = after[0]!
    expect(rerun).toMatchObject({ provider: source.provider, prompt: source.prompt, size: '1536x1024', n: source.n, format: source.format, batchId: null })
    expect(rerun.rerunOf).toEqual({ jobId: source.id, groupId: source.batchId })
    await settled(6)
    const headers = await groupHeaders()
    const at = headers.indexOf(`↻ Rerun of the generation below ${PROMPT}`)
    expect(at).toBeGreaterThanOrEqual(0)
    expect(headers[at + 1]).toBe(PROMPT)
  })

  it('varies a tile: its settings in the prompt bar, caret at the end; a tweak and Ctrl+Enter make one job', async () => {
    // Something else in the form first, so what Vary loads is seen to come from the image.
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'No template' })
    await promptBox().fill('something unrelated')
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('low')
    const square = (await images()).find((i) => i.prompt === PROMPT && i.width === 1024)!
    await tileOf(square).hover()
    await tileOf(square).getByRole('button', { name: 'Vary' }).click()
    await expect.poll(() => promptBox().inputValue()).toBe(PROMPT)
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('prompt')
    expect(await page.evaluate(`(() => { const box = document.getElementById('prompt'); return [box.selectionStart, box.selectionEnd, box.value.length] })()`)).toEqual([PROMPT.length, PROMPT.length, PROMPT.length])
    expect(await sizeChoice(page, '1024x1024').isChecked()).toBe(true)
    expect(await sizeChoice(page, '1536x1024').isChecked()).toBe(false)
    expect(await page.getByRole('combobox', { name: 'Quality' }).inputValue()).toBe('high')

    const before = await jobs()
    await page.keyboard.type(', morning light')
    await page.keyboard.press('Control+Enter')
    await expect.poll(async () => (await jobs()).length).toBe(before.length + 1)
    const variant = (await jobs())[0]!
    expect(variant).toMatchObject({ provider: 'demo', prompt: TWEAKED, size: '1024x1024', n: 1, format: 'png' })
    await settled(7)
  })

  it('steps through earlier prompts with ↑ and ↓, and picks one from the History list', async () => {
    const wide = (await images()).find((i) => i.prompt === PROMPT && i.width === 1536)!
    expect(await callBridge(page, 'gallery.favorite', { id: wide.id, favorite: true })).toMatchObject({ ok: true })
    await promptBox().fill('')
    await promptBox().focus()
    const shown: string[] = []
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowDown', 'ArrowDown', 'ArrowDown']) {
      const was = await promptBox().inputValue()
      await page.keyboard.press(key)
      if (key === 'ArrowDown' && was === TWEAKED) await expect.poll(() => promptBox().inputValue()).toBe('')
      else await expect.poll(() => promptBox().inputValue()).not.toBe(was)
      shown.push(await promptBox().inputValue())
    }
    expect(shown).toEqual([TWEAKED, PROMPT, EARLIER[2], PROMPT, TWEAKED, ''])

    await page.getByRole('button', { name: 'History' }).click()
    const history = page.getByRole('dialog', { name: 'Prompt history' })
    await history.waitFor()
    const options = history.getByRole('option')
    await expect.poll(() => options.count()).toBe(5)
    expect(await options.first().getAttribute('aria-label')).toBe(TWEAKED)
    expect(await options.nth(1).getAttribute('aria-label')).toBe(`${PROMPT} (★ 1 starred image)`)
    await page.keyboard.press('Escape')
    await history.waitFor({ state: 'hidden' })
    expect(await page.evaluate('document.activeElement?.id')).toBe('prompt')

    // For the README: a clean prompt bar, the list open over the gallery.
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'No template' })
    await page.getByRole('button', { name: /^More options/ }).click()
    await page.evaluate(`document.querySelector('.prompt-bar-body').scrollTo(0, 0)`)
    await page.getByRole('button', { name: 'History' }).click()
    await expect.poll(() => options.count()).toBe(5)
    await page.keyboard.press('ArrowDown')
    await screenshot(page, 'prompt-history.png')

    await history.getByRole('combobox', { name: 'Search prompt history' }).fill('teapot')
    await expect.poll(() => options.count()).toBe(1)
    await page.keyboard.press('Enter')
    await history.waitFor({ state: 'hidden' })
    expect(await promptBox().inputValue()).toBe(EARLIER[1])
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('prompt')
  })

  it('“Use these settings” brings back the template with its values, every size of the generation and the options', async () => {
    await sizeChoice(page, '1536x1024').setChecked(false)
    await showMoreOptions(page)
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('low')
    const square = (await images()).find((i) => i.prompt === PROMPT && i.width === 1024)!
    await tileOf(square).dblclick()
    const dialog = page.getByRole('dialog', { name: 'Image details' })
    await dialog.getByRole('button', { name: 'Use these settings' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => page.getByRole('combobox', { name: 'Template' }).locator('option:checked').textContent()).toBe('Packshot')
    expect(await page.getByRole('textbox', { name: 'product' }).inputValue()).toBe(PRODUCT)
    expect(await promptBox().inputValue()).toBe(PROMPT)
    expect(await sizeChoice(page, '1024x1024').isChecked()).toBe(true)
    expect(await sizeChoice(page, '1536x1024').isChecked()).toBe(true)
    expect(await sizeChoice(page, '1024x1536').isChecked()).toBe(false)
    expect(await page.getByRole('combobox', { name: 'Quality' }).inputValue()).toBe('high')
    // Picked again, not "edited away from": no note under the template.
    expect(await page.locator('#template-hint').textContent()).toBe('')
  })

  it('reruns and varies from the detail view too', async () => {
    const square = (await images()).find((i) => i.prompt === PROMPT && i.width === 1024)!
    const before = await jobs()
    await tileOf(square).dblclick()
    const dialog = page.getByRole('dialog', { name: 'Image details' })
    await dialog.getByRole('button', { name: 'Rerun' }).click()
    await dialog.getByRole('status').filter({ hasText: 'Rerun queued: it appears right above this image’s group in the gallery.' }).waitFor()
    const after = await jobs()
    expect(after).toHaveLength(before.length + 1)
    expect(after[0]).toMatchObject({ prompt: PROMPT, size: '1024x1024', rerunOf: { jobId: square.jobId } })

    await dialog.getByRole('button', { name: 'Vary' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('prompt')
    expect(await promptBox().inputValue()).toBe(PROMPT)
    expect(await sizeChoice(page, '1536x1024').isChecked()).toBe(false)
    await settled(after.length)

    // From the keyboard: R on the grid's active tile reruns it.
    await tileOf(square).click()
    await page.keyboard.press('r')
    await expect.poll(async () => (await jobs()).length).toBe(after.length + 1)
    expect((await jobs())[0]).toMatchObject({ prompt: PROMPT, size: '1024x1024', rerunOf: { jobId: square.jobId } })
    await settled(after.length + 1)
  })
})
