import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, startBrowserMode, type BrowserMode } from './browser-mode'

// Browser mode opened without the token in its address: the bridge refuses every call (401), so
// instead of the workspace with the same refusal in every panel, one page says how to open it.

let mode: BrowserMode
let page: Page

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
})

afterAll(async () => {
  await mode?.close()
})

describe('browser mode without the token', () => {
  it('shows one page that says to open the address npm run web printed', async () => {
    await page.goto(`${mode.origin}/`)
    const heading = page.getByRole('heading', { name: 'Open Proofsheet from the address npm run web printed' })
    await heading.waitFor()
    const text = await page.getByRole('main').textContent()
    expect(text).toContain(`${mode.origin}/?token=`)
    expect(text).toContain('npm run web')
    expect(await page.getByRole('region', { name: 'Queue' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Gallery' }).count()).toBe(0)
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.title()).toBe('Open Proofsheet from its address')
  })

  it('opens the app from the printed address', async () => {
    await openApp(mode)
    await page.getByRole('region', { name: 'Gallery' }).waitFor()
    expect(await page.getByRole('heading', { name: /Open Proofsheet from the address/ }).count()).toBe(0)
  })
})
