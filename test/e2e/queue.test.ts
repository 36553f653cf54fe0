import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { chooseSize, openApp, openQueue, screenshot, startBrowserMode, waitForText, type BrowserMode } from './browser-mode'

// The Queue region end to end: one prompt at three sizes becomes one group; cancel, cancel the
// rest, retry, pause and resume, with the progress in the page title. The demo provider is slowed
// down (6 s per image) so the first jobs are still running when the test cancels them.

const PROMPT = 'Linen shirt on a wooden hanger, white background'
const SIZES = ['1024x1024', '1536x1024', '1024x1536']

let mode: BrowserMode
let page: Page
let queue: Locator
let group: Locator

beforeAll(async () => {
  mode = await startBrowserMode({ args: ['--demo-delay', '6000'] })
  page = mode.page
  await openApp(mode)
  queue = await openQueue(page)
  group = queue.getByRole('listitem', { name: PROMPT })
})

afterAll(async () => {
  await mode?.close()
})

/** The row of one size inside the group. */
const row = (size: string): Locator => group.getByRole('list', { name: `Jobs of ${PROMPT}` }).getByRole('listitem').filter({ hasText: size })

const title = (): Promise<string> => page.title()

describe('browser mode: the queue', () => {
  it('groups one prompt at three sizes under one header, with progress in the group and in the title', async () => {
    await page.getByRole('textbox', { name: 'Prompt' }).fill(PROMPT)
    for (const size of SIZES) await chooseSize(page, size)
    await page.getByRole('button', { name: 'Generate' }).click()

    await group.waitFor()
    await waitForText(group, '3 sizes')
    await waitForText(group, /remaining/)
    expect(await group.getByRole('progressbar', { name: 'Batch progress' }).count()).toBe(1)
    for (const size of SIZES) await row(size).waitFor()
    await expect.poll(title, { timeout: 15_000 }).toMatch(/^\(\d\/3\) Proofsheet$/)
    await waitForText(row(SIZES[0]!), 'Running')

    await screenshot(page, 'queue.png')
  })

  it('cancels one job, then the rest of the batch', async () => {
    // The demo runs two at a time: the third size waits its turn.
    const third = row(SIZES[2]!)
    // Each job's Cancel is named after it: its prompt (shortened) and its size.
    await third.getByRole('button', { name: "Cancel 'Linen shirt on a wooden…' 1024x1536", exact: true }).click()
    await waitForText(third, 'Canceled')

    await group.getByRole('button', { name: 'Cancel the rest' }).click()
    await expect.poll(() => group.locator('.queue-group-counts').textContent()).not.toMatch(/remaining/)
    await waitForText(group.locator('.queue-group-counts'), '0 done · 3 canceled')
    expect(await group.getByRole('button', { name: 'Cancel the rest' }).count()).toBe(0)
    await expect.poll(title).toBe('Proofsheet')
  })

  it('retries a canceled job: it runs again and succeeds', async () => {
    const third = row(SIZES[2]!)
    await third.getByRole('button', { name: /^Retry 'Linen shirt/ }).click()
    await waitForText(third, /Running|Queued/)
    await waitForText(third, 'Succeeded')
    await expect.poll(title).toBe('Proofsheet')
    // The batch settled again with an image: the region says so.
    await waitForText(queue.getByRole('status'), `Batch finished: ${PROMPT}`)
  })

  it('holds retried work while paused and runs it after Resume all', async () => {
    await queue.getByRole('button', { name: 'Pause all' }).click()
    await waitForText(queue, 'The queue is paused')

    const target = row(SIZES[1]!)
    await target.getByRole('button', { name: /^Retry 'Linen shirt/ }).click()
    await waitForText(target, 'Queued')
    await waitForText(target, 'Paused: waits for Resume all')
    await expect.poll(title).toBe('(0/1) Proofsheet')

    await queue.getByRole('button', { name: 'Resume all' }).click()
    await queue.getByRole('button', { name: 'Pause all' }).waitFor()
    await waitForText(target, 'Succeeded')
    await expect.poll(title).toBe('Proofsheet')
    await waitForText(queue.getByRole('status'), /2 of 3 succeeded/)
  })

  it('moves between the queue items with the arrow keys', async () => {
    const header = group.locator('.queue-group-header')
    await header.focus()
    await page.keyboard.press('ArrowDown')
    expect(await row(SIZES[0]!).evaluate((el) => el.matches(':focus'))).toBe(true)
    await page.keyboard.press('End')
    expect(await row(SIZES[2]!).evaluate((el) => el.matches(':focus'))).toBe(true)
    await page.keyboard.press('Home')
    expect(await header.evaluate((el) => el.matches(':focus'))).toBe(true)
  })
})
