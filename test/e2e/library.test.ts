import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callBridge, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// The library location in Settings, in browser mode (a typed path, no folder dialog): it shows
// the library in use, creates a new one in a temp folder (whose gallery is empty), switches back
// through the recent list, and drops an entry from that list.

let mode: BrowserMode
let page: Page
let elsewhere: string
const PROMPT = 'Ceramic mug on a linen cloth'

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  elsewhere = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-newlib-'))
  await openApp(mode)
  // One image in the first library, so "empty" in the new one means something.
  const queued = await callBridge<{ jobs: { id: string }[] }>(page, 'jobs.generate', {
    provider: 'demo',
    prompt: PROMPT,
    sizes: [{ width: 320, height: 200 }],
  })
  expect(queued.ok).toBe(true)
  await page.getByRole('region', { name: 'Gallery' }).getByRole('img', { name: PROMPT }).waitFor({ timeout: 30_000 })
})

afterAll(async () => {
  await mode?.close()
  if (elsewhere) await rm(elsewhere, { recursive: true, force: true })
})

const library = (): Locator => page.getByRole('region', { name: 'Library' })
const figures = (): Locator => library().getByRole('definition')

async function openSettings(): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
  await library().waitFor()
}

/** Clicks a control that switches the library; the page reloads, then this comes back to Settings. */
async function switchWith(control: Locator, expectedPath: string): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), control.click()])
  await page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
  await openSettings()
  await waitForText(library(), expectedPath).catch(async (err: unknown) => {
    throw new Error(`${(err as Error).message}\nThe Library section says: ${await library().innerText()}\n${mode.stderr()}`)
  })
}

describe('settings: the library location', () => {
  it('shows the library in use: folder, image count and size', async () => {
    await openSettings()
    await expect.poll(() => figures().allTextContents(), { timeout: 15_000 }).toEqual([mode.home, '1', expect.stringMatching(/^\d+(\.\d)? (KB|MB)$/)])
  })

  it('refuses a folder that is not a library, naming it', async () => {
    await library().getByLabel('Library folder').fill(join(elsewhere, 'nothing-here'))
    await library().getByRole('button', { name: 'Open library' }).click()
    await waitForText(library().getByRole('alert'), `There is no folder ${join(elsewhere, 'nothing-here')}.`)
  })

  it('creates a new library in a temp folder and switches to it: the gallery is empty', async () => {
    const fresh = join(elsewhere, 'Studio library')
    await library().getByLabel('Library folder').fill(fresh)
    await switchWith(library().getByRole('button', { name: 'Create library' }), fresh)
    await expect.poll(() => figures().allTextContents(), { timeout: 15_000 }).toEqual([fresh, '0', expect.stringMatching(/ (B|KB|MB)$/)])
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workspace' }).click()
    await waitForText(page.getByRole('region', { name: 'Gallery' }), 'No images yet')
    await openSettings()
    await screenshot(page, 'settings-library.png')
  })

  it('lists both in the recent libraries and switches back to the first', async () => {
    const fresh = join(elsewhere, 'Studio library')
    const recent = library().getByRole('list', { name: 'Recent libraries' })
    await expect.poll(() => recent.getByRole('listitem').count(), { timeout: 15_000 }).toBe(2)
    await waitForText(recent.getByRole('listitem').first(), 'In use')
    await switchWith(recent.getByRole('button', { name: `Open ${mode.home}` }), mode.home)
    await expect.poll(() => figures().allTextContents(), { timeout: 15_000 }).toEqual([mode.home, '1', expect.stringMatching(/ (KB|MB)$/)])
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workspace' }).click()
    await page.getByRole('region', { name: 'Gallery' }).getByRole('img', { name: PROMPT }).waitFor({ timeout: 15_000 })

    await openSettings()
    await library().getByRole('button', { name: `Remove ${fresh} from the list` }).click()
    await expect.poll(() => library().getByRole('list', { name: 'Recent libraries' }).getByRole('listitem').count(), { timeout: 15_000 }).toBe(1)
  })
})
