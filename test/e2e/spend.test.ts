import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { sizeChoice, callBridge, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue, signIn } from './browser-mode'

// Spend and budgets end to end: browser mode with the openai profile pointed at a local server
// that speaks OpenAI's images API, real Chromium. The estimate is the list price ($0.22 for
// 1024x1024); the charge is the reply's token usage at gpt-image-2's token prices (about $0.042).
// Profile and key are set through the same bridge calls the Settings view makes.

let server: ProviderServer
let mode: BrowserMode
let page: Page

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode()
  page = mode.page
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
})

/** One call over the browser bridge, from the page (it carries the session cookie). */
const bridge = (name: string, input: unknown) => callBridge<{ id?: string }>(page, name, input)

const view = (name: 'Workspace' | 'Spend') => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name })

async function generate(prompt: string, keyId: string): Promise<void> {
  await view('Workspace').click()
  await page.getByRole('textbox', { name: 'Prompt' }).fill(prompt)
  await page.getByRole('combobox', { name: 'Provider' }).selectOption('openai')
  await page.getByRole('combobox', { name: 'API key' }).selectOption(keyId)
  const size = sizeChoice(page, '1024x1024')
  // Unticked and ticked again, so the cost preview is estimated afresh.
  if (await size.isChecked()) await size.uncheck()
  await size.check()
}

describe('browser mode: spend and budgets', () => {
  let keyId = ''

  it('shows what a generation charged, by day, key and provider', async () => {
    await signIn(mode)
    const saved = await bridge('providers.save', { kind: 'override', id: 'openai', baseUrl: server.baseUrl('openai') })
    expect(saved.ok).toBe(true)
    const key = await bridge('keys.add', { provider: 'openai', label: 'studio', secret: server.validKey('openai') })
    expect(key.ok).toBe(true)
    keyId = key.value!.id!
    await page.reload()

    await view('Spend').click()
    const spend = page.getByRole('region', { name: 'Spend' })
    await waitForText(spend, 'Nothing was spent in these days.')
    await waitForText(page.getByRole('region', { name: 'Budgets' }), 'No budgets yet')

    await generate('Ceramic mug, white background, soft daylight', keyId)
    await waitForText(page.getByRole('region', { name: 'Cost preview' }).locator('.cost-total'), '$0.22')
    await page.getByRole('button', { name: 'Generate' }).click()
    const queue = await openQueue(page)
    await waitForText(queue.getByRole('listitem').filter({ hasText: 'Ceramic mug' }), 'Succeeded')

    await view('Spend').click()
    await waitForText(spend.getByRole('term').filter({ hasText: 'Charged' }).locator('xpath=..'), '$0.042')
    const chart = spend.getByRole('img')
    expect(await chart.getAttribute('aria-label')).toMatch(/^Estimated and charged spend per day in USD, .* Highest charged day: \d{4}-\d{2}-\d{2}, \$0\.042\.$/)
    // Drawn at the width it is shown, one unit per pixel: the axis labels keep their 11 px at any window width.
    await expect
      .poll(() => chart.evaluate((svg) => Math.abs(svg.getBoundingClientRect().width - Number(svg.getAttribute('viewBox')!.split(' ')[2]))))
      .toBeLessThan(1)
    expect(await chart.locator('text').first().evaluate((t) => Math.round(t.getBoundingClientRect().height))).toBeLessThan(16)
    const today = spend.getByRole('table', { name: 'Spend per day' }).getByRole('row').nth(1)
    // Estimated at the list price, charged by tokens.
    expect(await today.textContent()).toMatch(/^\d{4}-\d{2}-\d{2}1\$0\.22\$0\.042$/)
    expect(await spend.getByRole('table', { name: 'By key' }).getByRole('rowheader').allTextContents()).toEqual(['studio'])
    expect(await spend.getByRole('table', { name: 'By provider' }).getByRole('rowheader').allTextContents()).toEqual(['openai'])
  })

  it('sets a daily budget, warns before passing it, holds the job, and runs it when the budget is raised', async () => {
    const budgets = page.getByRole('region', { name: 'Budgets' })
    const amount = budgets.getByRole('textbox', { name: 'Amount' })
    await amount.fill('lots')
    await budgets.getByRole('button', { name: 'Save budget' }).click()
    await waitForText(budgets, 'Enter the amount as a number with at most 4 decimals')
    await amount.fill('0.25')
    await amount.press('Enter')
    const row = budgets.getByRole('listitem').filter({ hasText: 'Daily budget' })
    await waitForText(row, '$0.042 of $0.25 used today')

    await generate('Oak side table, lifestyle scene', keyId)
    const preview = page.getByRole('region', { name: 'Cost preview' })
    await waitForText(preview.getByRole('list', { name: 'Budget warnings' }), 'This passes the daily budget of $0.25')
    await page.getByRole('button', { name: 'Generate' }).click()
    const held = (await openQueue(page)).getByRole('listitem').filter({ hasText: 'Oak side table' })
    await waitForText(held, 'Held')
    await waitForText(held, 'Daily budget of $0.25 reached: $0.042 is spent or running today, and this job needs $0.22.')
    expect(server.charges.openai ?? []).toHaveLength(1)

    await view('Spend').click()
    await waitForText(row, '1 job(s) held')
    await screenshot(page, 'spend.png')
    await row.getByRole('button', { name: 'Change Daily budget' }).click()
    await amount.fill('1')
    await budgets.getByRole('button', { name: 'Save budget' }).click()
    await waitForText(row, '$0.084 of $1.00 used today')

    await view('Workspace').click()
    await waitForText(held, 'Succeeded')
    expect(server.charges.openai ?? []).toHaveLength(2)
    await view('Spend').click()
    await waitForText(page.getByRole('region', { name: 'Spend' }).getByRole('term').filter({ hasText: 'Charged' }).locator('xpath=..'), '$0.084')
  })
})
