import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { chooseSize, loadedImageSize, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue } from './browser-mode'

// The first slice end to end: browser mode on a fresh library, real Chromium, the offline demo
// provider. Controls are found by role and accessible name, as docs/design.md "Interface names" says.

const PROMPT = 'A white ceramic mug on a white background, soft daylight'

let mode: BrowserMode
let page: Page
let appUrl: string
let origin: string
let appPath = ''

beforeAll(async () => {
  mode = await startBrowserMode()
  ;({ page, appUrl, origin } = mode)
})

afterAll(async () => {
  await mode?.close()
})

describe('browser mode: generate with the demo provider', () => {
  it('signs in with the printed URL and drops the token from the address bar', async () => {
    await page.goto(appUrl)
    // The token is gone from the address: the app lives at a path of its own now.
    expect(page.url()).toMatch(new RegExp(`^${origin}/s/[0-9a-f]{24}/$`))
    appPath = new URL(page.url()).pathname.replace(/\/$/, '')
    const cookies = await page.context().cookies()
    expect(cookies.map((c) => c.value)).not.toContain(new URL(appUrl).searchParams.get('token'))
    const session = cookies.find((c) => c.name.startsWith('ps_session_'))
    expect(session?.httpOnly).toBe(true)
    expect(session?.sameSite).toBe('Strict')
    expect(session?.path).toBe(appPath)
    await page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
    await waitForText(page.getByRole('region', { name: 'Gallery' }), 'No images yet — write a prompt and press Generate.')
  })

  it('previews the cost, generates, and shows the job and the image', async () => {
    const generate = page.getByRole('button', { name: 'Generate' })
    expect(await generate.isDisabled()).toBe(true)

    await page.getByRole('textbox', { name: 'Prompt' }).fill(PROMPT)
    const provider = page.getByRole('combobox', { name: 'Provider' })
    await waitForText(provider, /Demo/)
    expect(await provider.inputValue()).toBe('demo')
    await chooseSize(page, '1024x1024')

    const preview = page.getByRole('region', { name: 'Cost preview' })
    await waitForText(preview.locator('.cost-total'), '$0.00')
    await waitForText(preview.getByRole('listitem'), '1024 × 1024')

    // Several sizes at once: a line each, with the count per size. The count is under More options.
    await page.getByRole('button', { name: 'More options' }).click()
    await page.getByRole('spinbutton', { name: 'Images per size' }).fill('3')
    await chooseSize(page, '1536x1024')
    await waitForText(preview.getByRole('listitem'), /1536 × 10243 × \$0\.00/)
    await waitForText(preview.getByRole('listitem'), /1024 × 10243 × \$0\.00/)
    expect(await preview.getByRole('listitem').count()).toBe(2)
    await chooseSize(page, '1536x1024', false)
    await page.getByRole('spinbutton', { name: 'Images per size' }).fill('1')
    await expect.poll(() => preview.getByRole('listitem').allTextContents(), { timeout: 10_000 }).toEqual(['1024 × 10241 × $0.00$0.00'])

    expect(await generate.isEnabled()).toBe(true)
    await generate.click()

    const queue = await openQueue(page)
    const row = queue.getByRole('listitem').filter({ hasText: PROMPT })
    await waitForText(row, 'Succeeded')
    await waitForText(row, '1024x1024')

    const gallery = page.getByRole('region', { name: 'Gallery' })
    const thumb = gallery.getByRole('img', { name: PROMPT })
    await thumb.waitFor()
    // The tile says its size on hover.
    await thumb.hover()
    await waitForText(gallery, '1024 × 1024')
    await loadedImageSize(page, PROMPT)

    // The full-size file, loaded through the page like any image it shows.
    const fullUrl = await thumb.evaluate((img) => img.closest('a')?.href ?? '')
    expect(fullUrl).toMatch(new RegExp(`^${origin}${appPath}/media/images/`))
    const natural = (await page.evaluate(`new Promise((resolve, reject) => {
      const img = new Image()
      img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight })
      img.onerror = () => reject(new Error('could not load the full image'))
      img.src = ${JSON.stringify(fullUrl)}
    })`)) as { width: number; height: number }
    expect(natural).toEqual({ width: 1024, height: 1024 })

    await screenshot(page, 'generate.png')
  })

  it('refuses an API call that does not carry the token cookie', async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch('api/call', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'providers.list', input: {} }),
      })
      return response.status
    })
    expect(status).toBe(401)
    const withCookie = await page.evaluate(async () => {
      const response = await fetch('api/call', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'providers.list', input: {} }),
      })
      return response.status
    })
    expect(withCookie).toBe(200)
  })
})
