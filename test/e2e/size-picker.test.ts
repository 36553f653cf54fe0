import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callBridge, chosenSizes, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// Sizes picked by eye, in real Chromium on a real library: shapes and resolutions found by role
// and name, channel presets that say what export will do, custom sizes checked as they are
// typed. The queue is paused, so the jobs Generate makes stay queued and their sizes can be read
// back through the bridge exactly as the engine stored them.

let mode: BrowserMode
let page: Page

beforeAll(async () => {
  mode = await startBrowserMode({ viewport: { width: 1440, height: 900 } })
  page = mode.page
  await openApp(mode)
  expect((await callBridge(page, 'queue.pause', {})).ok).toBe(true)
})

afterAll(async () => {
  await mode?.close()
})

const sizesGroup = () => page.getByRole('group', { name: 'Sizes' })
const aspect = (name: string) => sizesGroup().getByRole('radiogroup', { name: 'Aspect' }).getByRole('radio', { name, exact: true })
const resolution = (name: string) => sizesGroup().getByRole('group', { name: 'Resolution' }).getByRole('checkbox', { name, exact: true })
const preview = () => page.getByRole('region', { name: 'Cost preview' })
const costLines = () => preview().getByRole('listitem').allTextContents()

async function queuedSizes(prompt: string): Promise<string[]> {
  const listed = await callBridge<{ jobs: { prompt: string; size: string; status: string }[] }>(page, 'jobs.list', { limit: 50 })
  expect(listed.ok).toBe(true)
  return listed.value!.jobs.filter((j) => j.prompt === prompt && j.status === 'queued').map((j) => j.size).sort()
}

describe('browser mode: picking sizes by eye', () => {
  it('on an aspect-ratio provider: shape, resolution with pixels and price, a channel preset, and the queued jobs', async () => {
    const key = await callBridge<{ id: string }>(page, 'keys.add', { provider: 'toapis', label: 'studio', secret: 'sk-test-toapis-0000' })
    expect(key.ok).toBe(true)
    await page.reload()
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('toapis')
    const prompt = 'Linen tote bag on a wooden stool, soft daylight'
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
    expect(await chosenSizes(page)).toEqual(['1:1@1K'])

    // Keyboard: arrows move between shapes as radios do.
    await aspect('1:1').focus()
    await page.keyboard.press('ArrowRight')
    expect(await aspect('5:4').isChecked()).toBe(true)

    // 16:9 at 2K, named by its pixels, priced from ToAPIs' table.
    await aspect('16:9').check()
    await resolution('2K (2048 × 1152)').check()
    expect(await sizesGroup().getByRole('group', { name: 'Resolution' }).textContent()).toContain('$0.02 / image')
    await expect.poll(costLines).toEqual(['1024 × 10241 × $0.015$0.015', '2048 × 11521 × $0.02$0.02'])

    // A channel preset chooses the nearest size ToAPIs makes and says what export will do.
    await sizesGroup().getByRole('button', { name: 'Presets & custom' }).click()
    const dialog = page.getByRole('dialog', { name: 'More sizes' })
    const webShop = dialog.getByRole('button', { name: 'Web shop 2000 × 2000' })
    expect(await webShop.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe(
      'made at 2048 × 2048, exported at 2000 × 2000 by scaling down',
    )
    const banner = dialog.getByRole('button', { name: 'Banner 1920 × 600' })
    expect(await banner.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent())).toContain(
      'made at 2048 × 880 (21:9); cropped to 1920 × 600 on export',
    )
    expect(await webShop.textContent()).toContain('$0.02')
    await webShop.click()
    expect(await webShop.getAttribute('aria-pressed')).toBe('true')
    expect(await dialog.getByRole('textbox', { name: 'Custom size' }).count()).toBe(0)
    await screenshot(page, 'size-picker.png')
    await page.keyboard.press('Escape')
    expect(await dialog.count()).toBe(0)

    // The first size goes with its chip; the estimate and the queued jobs follow the chips.
    await sizesGroup().getByRole('button', { name: 'Remove 1:1 1K (1024 × 1024)' }).click()
    expect(await chosenSizes(page)).toEqual(['16:9@2K', '1:1@2K'])
    await expect.poll(costLines).toEqual(['2048 × 11521 × $0.02$0.02', '2048 × 20481 × $0.02$0.02'])
    await waitForText(preview().locator('.cost-total'), '$0.04')
    await page.getByRole('button', { name: 'Generate' }).click()
    await expect.poll(() => queuedSizes(prompt), { timeout: 15_000 }).toEqual(['16:9@2K', '1:1@2K'])
  })

  it('on a pixel provider: sizes under their shapes, a preset made exactly, and a custom size fixed in one click', async () => {
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('demo')
    // The demo makes no aspect tiers: each chosen size became its nearest pixel size, said in a note.
    // It takes any size, so 16:9 at 2K keeps its very pixels.
    await waitForText(page.locator('.form-note'), 'Switched to Demo (offline, free): 16:9@2K is not offered, so 2048x1152 was chosen')
    expect(await chosenSizes(page)).toEqual(['2048x1152', '2048x2048'])
    const prompt = 'Amber glass candle jar, linen backdrop'
    await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
    await aspect('1:1').check()
    await resolution('2048 × 2048').uncheck()
    await resolution('1024 × 1024').check()

    await sizesGroup().getByRole('button', { name: 'Presets & custom' }).click()
    const dialog = page.getByRole('dialog', { name: 'More sizes' })
    const story = dialog.getByRole('button', { name: 'Story 1080 × 1920' })
    expect(await story.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe('made at 1080 × 1920, exactly the size needed')
    await story.click()

    const custom = dialog.getByRole('textbox', { name: 'Custom size' })
    await custom.fill('1000 x 5000')
    await waitForText(dialog, 'Each side must be 16 to 4096 px.')
    expect(await custom.getAttribute('aria-invalid')).toBe('true')
    expect(await dialog.getByRole('button', { name: 'Add size' }).isDisabled()).toBe(true)
    await dialog.getByRole('button', { name: 'Use 819 × 4096' }).click()
    await page.keyboard.press('Escape')

    const chosen = await chosenSizes(page)
    expect(chosen).toEqual(['2048x1152', '1024x1024', '1080x1920', '819x4096'])
    // A custom size joins a shape of its own, ticked there like any other.
    await aspect('1:5').check()
    expect(await resolution('819 × 4096').isChecked()).toBe(true)
    await expect.poll(async () => (await costLines()).map((line) => line.split('1 ×')[0])).toEqual(chosen.map((size) => size.replace('x', ' × ')))
    await page.getByRole('button', { name: 'Generate' }).click()
    await expect.poll(() => queuedSizes(prompt), { timeout: 15_000 }).toEqual([...chosen].sort())
  })
})
