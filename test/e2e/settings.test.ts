import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProviderServer, type ProviderServer } from '../provider-server'
import { chooseSize, openApp, screenshot, startBrowserMode, waitForText, type BrowserMode, openQueue } from './browser-mode'

// Settings end to end: a key goes into the real keychain through the page, is checked for free,
// rotated and removed; a built-in profile is pointed at the OpenAI test server and a custom
// profile is added; then a real generation runs through them. The secret may travel once, in
// the keys.add (or keys.rotate) request; no response, event or page text ever carries it.

let mode: BrowserMode
let page: Page
let server: ProviderServer
const seen: { url: string; request: string; response: string }[] = []
const PROMPT = 'Linen tote bag on a plain studio backdrop'

beforeAll(async () => {
  server = await startProviderServer()
  mode = await startBrowserMode()
  page = mode.page
  page.on('requestfinished', (request) => {
    void request.response().then(async (response) => {
      // The event stream never finishes; its data is checked through the EventSource below.
      const body = response && !request.url().includes('/api/events') ? await response.text().catch(() => '') : ''
      seen.push({ url: request.url(), request: request.postData() ?? '', response: body })
    })
  })
  // Everything the engine pushes to the page, as the page receives it.
  await page.addInitScript(`window.__events = []; const Real = window.EventSource; window.EventSource = class extends Real {
    constructor(...args) { super(...args); this.addEventListener('message', (e) => window.__events.push(e.data)) }
    addEventListener(type, listener, options) { super.addEventListener(type, (e) => { if (type !== 'message') window.__events.push(e.data); listener(e) }, options) }
  }`)
  await openApp(mode)
})

afterAll(async () => {
  await mode?.close()
  await server?.close()
})

const keys = () => page.getByRole('region', { name: 'Keys' })
const providersRegion = () => page.getByRole('region', { name: 'Providers' })
/** A profile's row, by its exact name (TokenHub's model id also says "openai"). */
const profileRow = (name: string) => providersRegion().getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) })

describe('settings: keys and providers', () => {
  it('starts with no keys and says where keys are kept', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
    await waitForText(keys(), 'No keys yet.')
    await waitForText(keys().getByRole('status'), 'OS keychain')
  })

  it('points the OpenAI profile at another base URL, refusing a bad one first', async () => {
    await providersRegion().getByRole('button', { name: 'Edit OpenAI' }).click()
    const form = providersRegion().getByRole('form', { name: 'Settings for OpenAI' })
    await form.getByLabel('Base URL').fill('ftp://files.example.com/v1')
    await form.getByRole('button', { name: 'Save' }).click()
    await waitForText(form.getByRole('alert'), /baseUrl|base URL|http/i)

    await form.getByLabel('Timeout (seconds)').fill('5')
    await form.getByRole('button', { name: 'Save' }).click()
    await waitForText(form.getByRole('alert'), 'Timeout must be a whole number from 30 to 1800.')

    await form.getByLabel('Timeout (seconds)').fill('240')
    await form.getByLabel('Base URL').fill(server.baseUrl('openai'))
    await form.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })
    const row = profileRow('OpenAI')
    await waitForText(row, server.baseUrl('openai'))
    await waitForText(row, 'Changed')
    await waitForText(row, 'timeout 240 s')
  })

  it('adds a key through a password field and never shows the secret again', async () => {
    const secret = server.validKey('openai')
    const form = keys().getByRole('form', { name: 'Add a key' })
    await form.getByLabel('Key provider').selectOption('openai')
    await form.getByLabel('Key label').fill('Autumn lookbook')
    const field = form.getByLabel('Secret')
    expect(await field.getAttribute('type')).toBe('password')
    await field.fill(secret)
    await form.getByRole('button', { name: 'Add key' }).click()
    await waitForText(form.getByRole('status'), `Added "Autumn lookbook" (····${secret.slice(-4)}), kept in the OS keychain.`)
    expect(await field.inputValue()).toBe('')
    const row = keys().getByRole('listitem').filter({ hasText: 'Autumn lookbook' })
    await waitForText(row, 'Ready')
    await waitForText(row, `····${secret.slice(-4)}`)
    expect(await page.content()).not.toContain(secret)
  })

  it('tests the key for free, then rotates it', async () => {
    const row = keys().getByRole('listitem').filter({ hasText: 'Autumn lookbook' })
    await row.getByRole('button', { name: 'Test Autumn lookbook' }).click()
    await waitForText(row.getByRole('status'), 'OpenAI accepted the key (a free check; nothing was charged).')
    expect(server.requestsTo('openai', 'models')).toHaveLength(1)
    expect(server.requestsTo('openai', 'generations')).toHaveLength(0)

    await row.getByRole('button', { name: 'Rotate Autumn lookbook' }).click()
    const rotate = row.getByRole('form', { name: 'Rotate Autumn lookbook' })
    await rotate.getByLabel('New secret for Autumn lookbook').fill('sk-proj-revoked-9876')
    await rotate.getByRole('button', { name: 'Save new secret' }).click()
    await waitForText(row, '····9876')
    await row.getByRole('button', { name: 'Test Autumn lookbook' }).click()
    await waitForText(row.getByRole('status'), 'OpenAI refused the key')

    await row.getByRole('button', { name: 'Rotate Autumn lookbook' }).click()
    await rotate.getByLabel('New secret for Autumn lookbook').fill(server.validKey('openai'))
    await rotate.getByRole('button', { name: 'Save new secret' }).click()
    await waitForText(row, `····${server.validKey('openai').slice(-4)}`)
    await screenshot(page, 'settings.png')
  })

  it('adds a custom OpenAI-compatible provider with its own price', async () => {
    await providersRegion().getByRole('button', { name: 'Add a custom provider' }).click()
    const form = providersRegion().getByRole('form', { name: 'New custom provider' })
    await form.getByLabel('Name').fill('Studio proxy')
    await form.getByLabel('Profile id').fill('Studio Proxy!')
    await form.getByLabel('Base URL').fill(server.baseUrl('openai'))
    await form.getByRole('button', { name: 'Add provider' }).click()
    await waitForText(form.getByRole('alert'), 'lowercase letters')

    await form.getByLabel('Profile id').fill('studio-proxy')
    await form.getByRole('button', { name: 'Add a price tier' }).click()
    await form.getByLabel('Tier 1 name').fill('image')
    await form.getByLabel('Tier 1 price').fill('0.05')
    await form.getByRole('button', { name: 'Add provider' }).click()
    await form.waitFor({ state: 'detached' })
    const row = profileRow('Studio proxy')
    await waitForText(row, 'Custom')
    await waitForText(row, 'image $0.05')
  })

  it('generates through the changed OpenAI profile with the stored key', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Workspace' }).click()
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('openai')
    await page.getByRole('combobox', { name: 'API key' }).selectOption({ label: `Autumn lookbook ····${server.validKey('openai').slice(-4)}` })
    await page.getByRole('textbox', { name: 'Prompt' }).fill(PROMPT)
    await chooseSize(page, '1024x1024')
    await page.getByRole('button', { name: 'Generate' }).click()
    const job = (await openQueue(page)).getByRole('listitem').filter({ hasText: PROMPT })
    await waitForText(job, 'Succeeded')
    await waitForText(job, 'Autumn lookbook')
    expect(server.requestsTo('openai', 'generations').filter((r) => r.accepted)).toHaveLength(1)

    // The custom profile is offered in the workspace, with its price in the preview.
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('studio-proxy')
    await waitForText(page.getByRole('region', { name: 'Cost preview' }).locator('.cost-total'), '$0.05')
  })

  it('removes the key after asking, and resets the profile', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
    const row = keys().getByRole('listitem').filter({ hasText: 'Autumn lookbook' })
    await row.getByRole('button', { name: 'Remove Autumn lookbook' }).click()
    await row.getByRole('group', { name: 'Confirm removing Autumn lookbook' }).getByRole('button', { name: 'Remove key' }).click()
    await waitForText(keys(), 'No keys yet.')

    const openai = profileRow('OpenAI')
    await openai.getByRole('button', { name: 'Reset OpenAI' }).click()
    await waitForText(openai, 'https://api.openai.com/v1')
    await waitForText(openai, 'Built-in')
  })

  it('never let a secret out in a response, an event or the page', async () => {
    const secrets = [server.validKey('openai'), 'sk-proj-revoked-9876']
    await page.waitForTimeout(200) // let the last response bodies arrive
    const carrying = (text: string) => secrets.some((s) => text.includes(s))
    expect(seen.filter((s) => carrying(s.response)).map((s) => s.url)).toEqual([])
    // Requests carry a secret only where the user typed one in: adding or rotating a key.
    const sentWith = seen.filter((s) => carrying(s.request)).map((s) => JSON.parse(s.request).name as string)
    expect(new Set(sentWith)).toEqual(new Set(['keys.add', 'keys.rotate']))
    const events = (await page.evaluate('window.__events')) as string[]
    expect(events.length).toBeGreaterThan(0)
    expect(events.filter(carrying)).toEqual([])
    expect(carrying(await page.content())).toBe(false)
  })
})

describe('settings: the section index', () => {
  const index = () => page.getByRole('navigation', { name: 'Settings sections' })
  const current = async () => index().locator('[aria-current="true"]').textContent()
  /** Where a section's top is within the settings scroller, in px from the scroller's top. */
  const topInScroller = (region: string) =>
    page.getByRole('region', { name: region }).evaluate((el) => el.getBoundingClientRect().top - el.closest('.view-scroll')!.getBoundingClientRect().top)

  it('lists the sections in order and marks the one being read', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click()
    await page.locator('.view-scroll').evaluate((el) => el.scrollTo({ top: 0 }))
    expect(await index().getByRole('link').allTextContents()).toEqual(['Keys', 'Providers', 'Library', 'Templates', 'Updates'])
    await expect.poll(current).toBe('Keys')
  })

  it('jumps to a section, brings its top into view and marks it; scrolling moves the mark', async () => {
    await index().getByRole('link', { name: 'Library' }).click()
    await expect.poll(() => topInScroller('Library')).toBeLessThan(60)
    expect(await topInScroller('Library')).toBeGreaterThanOrEqual(0)
    await expect.poll(current).toBe('Library')
    // Keyboard focus lands in the section, so Tab goes on from there.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('settings-library')

    // The last section is short: at the bottom of the page it is the one marked.
    await index().getByRole('link', { name: 'Updates' }).click()
    await expect.poll(current).toBe('Updates')
    await page.locator('.view-scroll').evaluate((el) => el.scrollTo({ top: 0 }))
    await expect.poll(current).toBe('Keys')
  })
})
