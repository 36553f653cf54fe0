import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseSize, loadedImageSize, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue } from './browser-mode'

// Reference images end to end: picked through the file input, dropped as real files, refused
// when they are not images, and the provider's rules applied as soon as the provider changes.

const PROMPT = 'The same mug, now on an oak table'

let mode: BrowserMode
let page: Page

async function solidPng(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer()
}

/** Drops files on the element the way the OS does: dragenter/dragover, then drop with a DataTransfer. */
async function dropFiles(target: Locator, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString('base64') }))
  const transfer = await page.evaluateHandle(`(() => {
    const transfer = new DataTransfer()
    for (const f of ${JSON.stringify(payload)}) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
      transfer.items.add(new File([bytes], f.name, { type: f.type }))
    }
    return transfer
  })()`)
  await target.dispatchEvent('dragenter', { dataTransfer: transfer })
  await target.dispatchEvent('dragover', { dataTransfer: transfer })
  await target.dispatchEvent('drop', { dataTransfer: transfer })
}

async function imageFiles(home: string): Promise<string[]> {
  const entries = await readdir(join(home, 'images'), { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  await openApp(mode)
  await waitForText(page.getByRole('combobox', { name: 'Provider' }), /Demo/)
})

afterAll(async () => {
  await mode?.close()
})

describe('reference images in the Generate panel', () => {
  const chosen = () => page.getByRole('list', { name: 'Chosen reference images' })
  const dropZone = () => page.getByTestId('reference-drop-zone')

  it('adds a picked file as a thumbnail with its size', async () => {
    const input = page.locator('input[type="file"][aria-label="Reference images"]')
    await input.setInputFiles({ name: 'red-mug.png', mimeType: 'image/png', buffer: await solidPng(400, 300, '#ff0000') })
    const item = chosen().getByRole('listitem').filter({ hasText: 'red-mug.png' })
    await waitForText(item, '400×300 · PNG')
    expect(await loadedImageSize(page, 'red-mug.png')).toEqual({ width: 400, height: 300 })
  })

  it('adds files dropped from the OS and refuses what is not an image', async () => {
    await dropFiles(dropZone(), [
      { name: 'blue.png', type: 'image/png', bytes: await solidPng(64, 64, '#0000ff') },
      { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('not an image') },
    ])
    await waitForText(chosen().getByRole('listitem'), 'blue.png')
    const alert = page.getByRole('alert').filter({ hasText: 'notes.txt is not a PNG, JPEG or WebP image.' })
    await alert.waitFor()
    await alert.getByRole('button', { name: 'Dismiss' }).click()
    await alert.waitFor({ state: 'detached' })

    // A file whose name says PNG but whose bytes are not: the engine reads the bytes and refuses.
    await dropFiles(dropZone(), [{ name: 'fake.png', type: 'image/png', bytes: Buffer.from('GIF89a not really') }])
    await waitForText(page.getByRole('alert'), /fake\.png is not a PNG, JPEG or WebP image/)
    expect(await chosen().getByRole('listitem').count()).toBe(2)
  })

  it('takes an image pasted from the clipboard', async () => {
    const bytes = await solidPng(48, 32, '#ffff00')
    await page.evaluate(`(() => {
      const transfer = new DataTransfer()
      const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0))
      transfer.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
      document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
    })()`)
    const pasted = chosen().getByRole('listitem').filter({ hasText: 'image.png' })
    await waitForText(pasted, '48×32 · PNG')
    await page.getByRole('button', { name: 'Remove image.png' }).click()
    await pasted.waitFor({ state: 'detached' })
  })

  it('removes a reference with its remove button', async () => {
    await page.getByRole('button', { name: 'Remove blue.png' }).click()
    await chosen().getByRole('listitem').filter({ hasText: 'blue.png' }).waitFor({ state: 'detached' })
    expect(await chosen().getByRole('listitem').count()).toBe(1)
  })

  it('applies a URL-only provider rules live and explains why', async () => {
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('toapis')
    await waitForText(page.locator('.references'), 'ToAPIs needs public https links')
    await waitForText(chosen().getByRole('listitem'), 'ToAPIs needs a public https link instead of a file.')

    await dropFiles(dropZone(), [{ name: 'green.png', type: 'image/png', bytes: await solidPng(32, 32, '#00ff00') }])
    await waitForText(page.getByRole('alert'), 'its API cannot receive files from your computer')

    const link = page.getByRole('textbox', { name: 'Reference image link' })
    await link.fill('ftp://example.com/a.png')
    await page.getByRole('button', { name: 'Add link' }).click()
    await waitForText(page.locator('.field-error'), 'must start with https://')
    // A plain http link is refused too: ToAPIs fetches references itself, from public https links.
    await link.fill('http://cdn.example.com/mug.png')
    await page.getByRole('button', { name: 'Add link' }).click()
    await waitForText(page.locator('.field-error'), "needs a public https link for a reference image; http://cdn.example.com/mug.png is plain http. Use the image's https:// address")
    expect(await chosen().getByRole('listitem').filter({ hasText: 'http://cdn.example.com/mug.png' }).count()).toBe(0)
    await link.fill('https://cdn.example.com/mug.png')
    await page.getByRole('button', { name: 'Add link' }).click()
    await waitForText(chosen().getByRole('listitem'), 'https://cdn.example.com/mug.png')
    expect(await page.getByRole('listitem').filter({ hasText: 'green.png' }).count()).toBe(0)

    // Back on the demo provider the file is fine and the link is the one that cannot go.
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('demo')
    await waitForText(chosen().getByRole('listitem'), 'Demo (offline, free) takes files, not links')
    await page.getByRole('textbox', { name: 'Prompt' }).fill(PROMPT)
    await chooseSize(page, '1024x1024')
    await waitForText(page.locator('#generate-status'), 'Some reference images cannot go to Demo')
    expect(await page.getByRole('button', { name: 'Generate' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Remove https://cdn.example.com/mug.png' }).click()
  })

  it('generates with the reference: the demo draws it into the image', async () => {
    const generate = page.getByRole('button', { name: 'Generate' })
    await expect.poll(() => generate.isEnabled()).toBe(true)
    await screenshot(page, 'references.png')
    await generate.click()
    const row = (await openQueue(page)).getByRole('listitem').filter({ hasText: PROMPT })
    await waitForText(row, 'Succeeded')

    const [file] = await imageFiles(mode.home)
    expect(file).toBeDefined()
    const meta = await sharp(file).metadata()
    expect([meta.width, meta.height]).toEqual([1024, 1024])
    // The inset: a quarter of the short side, 4% in from the top-left corner; its middle is red.
    const { data } = await sharp(file).extract({ left: 41 + 100, top: 41 + 75, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true })
    expect(data[0]).toBeGreaterThan(230)
    expect(data[1]).toBeLessThan(30)
  })
})
