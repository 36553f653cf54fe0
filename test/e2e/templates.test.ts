import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { builtinTemplates } from '../../src/main/core/templates/builtin-templates'
import { renderTemplate } from '../../src/shared/templates/template-text'
import { chooseSize, callBridge, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue } from './browser-mode'

// Prompt templates end to end: browser mode on a fresh library (so the built-ins are there), real
// Chromium, the offline demo provider. Controls are found by role and accessible name.

const PRODUCT = 'a matte black ceramic mug'
const packshot = builtinTemplates.find((t) => t.name === 'White background packshot')!
const FINAL = renderTemplate(packshot.body, { product: PRODUCT }, packshot.defaults).text

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

describe('browser mode: prompt templates', () => {
  it('fills a built-in template, previews the final prompt, and generates it', async () => {
    const picker = page.getByRole('combobox', { name: 'Template' })
    await waitForText(picker, 'White background packshot')
    expect(await picker.locator('option').allTextContents()).toEqual([
      'No template',
      'Lifestyle scene',
      'Social cover',
      'White background packshot',
    ])
    await picker.selectOption({ label: 'White background packshot' })

    const product = page.getByRole('textbox', { name: 'product', exact: true })
    expect(await product.inputValue()).toBe('')
    expect(await page.getByRole('textbox', { name: 'angle', exact: true }).inputValue()).toBe(packshot.defaults.angle)
    const preview = page.getByRole('region', { name: 'Final prompt' })
    await waitForText(preview, '{{product}}')
    expect(await page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe('')

    await product.fill(PRODUCT)
    expect(await preview.textContent()).toBe(FINAL)
    await expect.poll(() => page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe(FINAL)

    await chooseSize(page, '1024x1024')
    await page.getByRole('button', { name: 'Generate' }).click() // waits until it is enabled

    const queue = await openQueue(page)
    const row = queue.getByRole('listitem').filter({ hasText: FINAL })
    await waitForText(row, 'Succeeded')
    await page.getByRole('region', { name: 'Gallery' }).getByRole('img', { name: FINAL }).waitFor()
    await screenshot(page, 'templates.png')
  })

  it('saves a hand-written prompt as a template and finds it in the picker', async () => {
    const prompt = page.getByRole('textbox', { name: 'Prompt' })
    await prompt.fill('A linen shirt on an oak hanger, soft window light')
    const picker = page.getByRole('combobox', { name: 'Template' })
    expect(await picker.inputValue()).toBe('') // typing let go of the template

    await page.getByRole('button', { name: 'Save as template' }).click()
    const form = page.getByRole('form', { name: 'Save as template' })
    await form.getByRole('textbox', { name: 'Template name' }).fill('Shirt on hanger')
    await form.getByRole('button', { name: 'Save template' }).click()
    await waitForText(page.getByRole('status'), 'Saved as “Shirt on hanger”.')

    expect(await picker.locator('option').allTextContents()).toContain('Shirt on hanger')
    expect(await picker.locator('option:checked').textContent()).toBe('Shirt on hanger')
    expect(await prompt.inputValue()).toBe('A linen shirt on an oak hanger, soft window light')
  })

  it('exports the library as a JSON download and imports it back, keeping both on a clash', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
    const region = page.getByRole('region', { name: 'Templates' })
    await region.getByRole('listitem', { name: 'Shirt on hanger' }).waitFor()

    const [download] = await Promise.all([page.waitForEvent('download'), region.getByRole('button', { name: 'Export all' }).click()])
    expect(download.suggestedFilename()).toMatch(/^proofsheet-templates-\d{4}-\d{2}-\d{2}\.json$/)
    const file = (await download.path())!
    const exported = JSON.parse(await readFile(file, 'utf8'))
    expect(exported.format).toBe('proofsheet.templates')
    expect(exported.templates.map((t: { name: string }) => t.name)).toEqual([
      'Lifestyle scene',
      'Shirt on hanger',
      'Social cover',
      'White background packshot',
    ])

    await region.getByLabel('Import templates').setInputFiles(file)
    const clashes = region.getByRole('group', { name: 'Name clashes' })
    await clashes.waitFor()
    await waitForText(region.getByRole('alert'), 'Nothing was imported.')
    await clashes.getByRole('button', { name: 'Keep both' }).click()
    await region.getByRole('listitem', { name: 'Shirt on hanger (imported)' }).waitFor()
    await waitForText(region.getByRole('status'), 'Import done: added 4 under a new name.')
  })

  it('picks a template whose variables are named constructor, toString and hasOwnProperty, and the page keeps working', async () => {
    const saved = await callBridge(page, 'templates.save', { name: 'Prototype names', body: '{{constructor}} by {{toString}} on {{hasOwnProperty}}', defaults: { hasOwnProperty: 'oak' } })
    expect(saved.ok).toBe(true)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.reload()
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workspace' }).click()
    const picker = page.getByRole('combobox', { name: 'Template' })
    await waitForText(picker, 'Prototype names')
    await picker.selectOption({ label: 'Prototype names' })
    const preview = page.getByRole('region', { name: 'Final prompt' })
    await waitForText(preview, '{{constructor}} by {{toString}} on oak')
    await page.getByRole('textbox', { name: 'constructor', exact: true }).fill('a kettle')
    await page.getByRole('textbox', { name: 'toString', exact: true }).fill('Ada')
    await expect.poll(() => page.getByRole('textbox', { name: 'Prompt' }).inputValue()).toBe('a kettle by Ada on oak')
    expect(errors).toEqual([])
  })
})
