import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtinTemplates } from '../../src/main/core/templates/builtin-templates'
import { renderTemplate } from '../../src/shared/templates/template-text'
import { sizeChoice, callBridge, openApp, showMoreOptions, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// The Generate form as a designer meets it, in real Chromium on a real library: Generate is ready
// as soon as there is a prompt, a provider switch says what it changed, JPEG over transparency
// offers the way back, a template never eats a typed prompt, and the whole draft comes back after
// a reload and after the app restarts on the same library.

const packshot = builtinTemplates.find((t) => t.name === 'White background packshot')!
const PRODUCT = 'a stoneware teapot'
const FINAL = renderTemplate(packshot.body, { product: PRODUCT }, packshot.defaults).text

let home: string
let mode: BrowserMode
let page: Page

const prompt = () => page.getByRole('textbox', { name: 'Prompt' })
const provider = () => page.getByRole('combobox', { name: 'Provider' })
const template = () => page.getByRole('combobox', { name: 'Template' })
const generate = () => page.getByRole('button', { name: 'Generate' })
const size = (name: string) => sizeChoice(page, name)
const status = () => page.locator('#generate-status')

async function start(): Promise<void> {
  mode = await startBrowserMode({ home })
  page = mode.page
  await openApp(mode)
  await waitForText(provider(), /Demo/)
}

/** Waits for the form to read EXPECTED; on a timeout the message says what it read last. */
async function formComesBack(): Promise<void> {
  let last: unknown = 'nothing read yet'
  await expect
    .poll(async () => (last = await formValues()), { timeout: 20_000 })
    .toEqual(EXPECTED)
    .catch(async (err: unknown) => {
      const stored = await callBridge(page, 'workspace.get', {})
      throw new Error(`The form did not come back: ${String(err)}\nIt last read ${JSON.stringify(last)}\nThe library holds ${JSON.stringify(stored)}`)
    })
}

/** Every control the draft covers, read back from the page; a control not on the page reads as "missing". */
async function formValues(): Promise<Record<string, unknown>> {
  const read = (locator: Locator, how: 'value' | 'text' | 'checked' = 'value'): Promise<unknown> => {
    const options = { timeout: 1_000 }
    const reading = how === 'value' ? locator.inputValue(options) : how === 'text' ? locator.textContent(options) : locator.isChecked(options)
    return reading.catch(() => 'missing')
  }
  return {
    prompt: await read(prompt()),
    template: await read(template().locator('option:checked'), 'text'),
    product: await read(page.getByRole('textbox', { name: 'product', exact: true })),
    provider: await read(provider()),
    sizes: {
      '1024x1024': await size('1024x1024').isChecked().catch(() => 'missing'),
      '1536x1024': await size('1536x1024').isChecked().catch(() => 'missing'),
      '1024x1536': await size('1024x1536').isChecked().catch(() => 'missing'),
    },
    format: await read(page.getByRole('combobox', { name: 'Format' })),
    quality: await read(page.getByRole('combobox', { name: 'Quality' })),
    background: await read(page.getByRole('combobox', { name: 'Background' })),
    n: await read(page.getByRole('spinbutton', { name: 'Images per size' })),
  }
}

const EXPECTED = {
  prompt: FINAL,
  template: packshot.name,
  product: PRODUCT,
  provider: 'openai',
  sizes: { '1024x1024': false, '1536x1024': true, '1024x1536': true },
  format: 'webp',
  quality: 'high',
  background: 'transparent',
  n: '2',
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-form-'))
  await start()
  // Once: the library remembers it, so the restart below must find it open by itself.
  await showMoreOptions(page)
})

afterAll(async () => {
  await mode?.close()
  await rm(home, { recursive: true, force: true })
})

describe('the Generate form', () => {
  it('is ready as soon as there is a prompt: a default size is ticked, and what blocks it is said beside it', async () => {
    await expect.poll(() => size('1024x1024').isChecked()).toBe(true)
    expect(await generate().isDisabled()).toBe(true)
    expect(await status().textContent()).toBe('Write a prompt first.')
    await prompt().fill('A white ceramic mug, soft daylight')
    expect(await generate().isEnabled()).toBe(true)
    await waitForText(page.getByRole('region', { name: 'Cost preview' }).locator('.cost-total'), '$0.00')
    await size('1024x1024').uncheck()
    expect(await generate().isDisabled()).toBe(true)
    expect(await status().textContent()).toBe('Pick at least one size.')
    await size('1024x1024').check()
  })

  it('keeps a typed prompt recoverable when a template is picked over it', async () => {
    await template().selectOption({ label: packshot.name })
    expect(await prompt().inputValue()).toBe('') // the template's product is still empty
    await page.getByRole('button', { name: 'Undo' }).click()
    expect(await prompt().inputValue()).toBe('A white ceramic mug, soft daylight')
    expect(await template().inputValue()).toBe('')
  })

  it('says what a provider switch changed, until dismissed', async () => {
    await page.getByRole('combobox', { name: 'Format' }).selectOption('jpeg')
    await size('1536x1024').check()
    await provider().selectOption({ label: 'ToAPIs' })
    const note = page.getByRole('status', { name: 'Provider change' })
    await waitForText(
      note,
      'Switched to ToAPIs: 1024x1024 is not offered, so 1:1@1K was chosen; 1536x1024 is not offered, so 3:2@2K was chosen; JPEG became PNG.',
    )
    expect(await size('1:1@1K').isChecked()).toBe(true)
    expect(await size('3:2@2K').isChecked()).toBe(true)
    await note.getByRole('button', { name: 'Dismiss the note' }).click()
    expect(await note.textContent()).toBe('')

    // Back on the demo provider the ToAPIs sizes find their pixel counterparts again.
    await provider().selectOption('demo')
    await waitForText(note, 'Switched to Demo (offline, free):')
    expect(await size('1024x1024').isChecked()).toBe(true)
    expect(await size('1536x1024').isChecked()).toBe(true)
    await size('1024x1024').uncheck() // any change clears the note
    expect(await note.textContent()).toBe('')
  })

  it('says JPEG has no transparency and offers the way back', async () => {
    const format = page.getByRole('combobox', { name: 'Format' })
    const background = page.getByRole('combobox', { name: 'Background' })
    await format.selectOption('webp')
    await background.selectOption('transparent')
    await format.selectOption('jpeg')
    expect(await background.inputValue()).toBe('auto')
    const note = page.getByRole('status', { name: 'Format change' })
    await waitForText(note, 'JPEG has no transparency, so the background is now Auto.')
    await note.getByRole('button', { name: 'Keep transparency (WebP)' }).click()
    expect(await format.inputValue()).toBe('webp')
    expect(await background.inputValue()).toBe('transparent')
    expect(await note.count()).toBe(0)
  })

  it('keeps an edit mask removable after switching to a provider that takes none', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toBuffer()
    const mask = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer()
    await page.locator('input[type="file"][aria-label="Reference images"]').setInputFiles({ name: 'mug.png', mimeType: 'image/png', buffer: photo })
    await page.locator('input[type="file"][aria-label="Edit mask"]').setInputFiles({ name: 'mask.png', mimeType: 'image/png', buffer: mask })
    await page.getByRole('button', { name: 'Remove the mask' }).waitFor()

    await provider().selectOption({ label: 'GetToken Stable Images' })
    await waitForText(page.getByRole('status', { name: 'Provider change' }), 'GetToken Stable Images takes no edit mask')
    await waitForText(page.locator('.mask-picker'), 'does not take an edit mask: remove it to generate here.')
    await waitForText(status(), 'GetToken Stable Images takes no reference images: remove them or pick another provider.')
    expect(await generate().isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Remove what GetToken Stable Images cannot take' }).click()
    expect(await page.getByRole('button', { name: 'Remove the mask' }).count()).toBe(0)
    expect(await page.getByRole('list', { name: 'Chosen reference images' }).count()).toBe(0)
    await waitForText(status(), 'Add an API key for GetToken Stable Images first.')
    await provider().selectOption('demo')
  })

  it('comes back after a reload: prompt, template value, provider, sizes and options', async () => {
    await provider().selectOption('openai') // not where a fresh form starts: that is the demo provider
    await template().selectOption({ label: packshot.name })
    await page.getByRole('textbox', { name: 'product', exact: true }).fill(PRODUCT)
    await expect.poll(() => prompt().inputValue()).toBe(FINAL)
    await size('1024x1024').setChecked(false)
    await size('1536x1024').setChecked(true)
    await size('1024x1536').setChecked(true)
    await page.getByRole('combobox', { name: 'Format' }).selectOption('webp')
    await page.getByRole('combobox', { name: 'Quality' }).selectOption('high')
    await page.getByRole('combobox', { name: 'Background' }).selectOption('transparent')
    await page.getByRole('spinbutton', { name: 'Images per size' }).fill('2')
    const before = await formValues()
    expect(before).toEqual(EXPECTED)

    await page.reload()
    await page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
    await expect.poll(() => template().locator('option:checked').textContent(), { timeout: 15_000 }).toBe(packshot.name)
    await expect.poll(formValues, { timeout: 15_000 }).toEqual(EXPECTED)
  })

  it('comes back after the app restarts on the same library', async () => {
    await mode.close()
    await start()
    await expect.poll(() => template().locator('option:checked').textContent(), { timeout: 15_000 }).toBe(packshot.name)
    await formComesBack()
    await waitForText(status(), 'Add an API key for OpenAI first.')
  })
  it('"Use these settings" on an edit brings its reference back, and says so when the file is gone', async () => {
    const PROMPT = 'The same mug, now on an oak table'
    await provider().selectOption('demo')
    await template().selectOption('')
    await prompt().fill(PROMPT)
    const photo = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#36c' } }).png().toBuffer()
    await page.locator('input[type="file"][aria-label="Reference images"]').setInputFiles({ name: 'blue-mug.png', mimeType: 'image/png', buffer: photo })
    const chosen = page.getByRole('list', { name: 'Chosen reference images' })
    await waitForText(chosen, 'blue-mug.png')
    await generate().click()
    const gallery = page.getByRole('region', { name: 'Gallery' })
    await gallery.getByRole('img', { name: PROMPT }).first().waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Remove blue-mug.png' }).click()
    expect(await chosen.count()).toBe(0)

    const useSettings = async (): Promise<void> => {
      await gallery.getByRole('gridcell').filter({ has: page.getByRole('img', { name: PROMPT }) }).first().focus()
      await page.keyboard.press('Enter')
      const dialog = page.getByRole('dialog', { name: 'Image details' })
      await dialog.getByRole('button', { name: 'Use these settings' }).click()
      await dialog.waitFor({ state: 'detached' })
    }
    await useSettings()
    await waitForText(chosen, 'Reference 1 of that image')
    await waitForText(chosen, '80×60 · PNG')
    expect(await prompt().inputValue()).toBe(PROMPT)

    await page.getByRole('button', { name: 'Remove Reference 1 of that image' }).click()
    for (const file of await readdir(join(home, 'refs'))) await rm(join(home, 'refs', file))
    await useSettings()
    await waitForText(page.getByRole('alert'), "is no longer in the library's refs folder.")
    expect(await chosen.count()).toBe(0)
  })

})
