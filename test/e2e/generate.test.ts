import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The first slice end to end: browser mode on a fresh library, real Chromium, the offline demo
// provider. Controls are found by role and accessible name, as DESIGN.md "Interface names" says.

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const RENDERER_INDEX = join(REPO, 'out', 'renderer', 'index.html')
// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1 npm test), so a normal
// test run leaves the working tree clean; otherwise they go to the ignored test-results folder.
const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? join(REPO, 'docs', 'screenshots') : join(REPO, 'test-results')
const SCREENSHOT = join(SCREENSHOT_DIR, 'workspace.png')
const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/
const PROMPT = 'A white ceramic mug on a white background, soft daylight'

let home: string
let server: ChildProcess | null = null
let browser: Browser | null = null
let page: Page
let appUrl: string
let origin: string

/** Starts `npm run web` (without its build step) and resolves with the URL it prints last. */
function startWeb(libraryHome: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--home', libraryHome, '--port', '0', '--demo-delay', '200'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PROOFSHEET_HOME: libraryHome } },
  )
  server = child
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      if (URL_LINE.test(line.trim())) resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`npm run web exited (${code}) before printing its URL:\n${stderr}`)))
    child.once('error', reject)
  })
}

/** Waits until some element matched by `locator` contains `text`. */
async function waitForText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout })
}

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`The renderer is not built (${RENDERER_INDEX} is missing): run \`npx electron-vite build\` first.`)
  }
  home = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-'))
  appUrl = await startWeb(home)
  origin = new URL(appUrl).origin
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, colorScheme: 'light' })
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve))
    server.kill('SIGTERM')
    await exited
  }
  if (home) await rm(home, { recursive: true, force: true })
})

describe('browser mode: generate with the demo provider', () => {
  it('signs in with the printed URL and drops the token from the address bar', async () => {
    await page.goto(appUrl)
    expect(page.url()).toBe(`${origin}/`)
    const cookies = await page.context().cookies()
    const token = cookies.find((c) => c.name === 'ps_token')
    expect(token?.httpOnly).toBe(true)
    expect(token?.sameSite).toBe('Strict')
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
    await page.getByRole('checkbox', { name: '1024x1024' }).check()

    const preview = page.getByRole('region', { name: 'Cost preview' })
    await waitForText(preview.locator('.cost-total'), '$0.00')
    await waitForText(preview.getByRole('listitem'), '1024x1024')

    expect(await generate.isEnabled()).toBe(true)
    await generate.click()

    const queue = page.getByRole('region', { name: 'Queue' })
    const row = queue.getByRole('listitem').filter({ hasText: PROMPT })
    await waitForText(row, 'Succeeded')
    await waitForText(row, '1024x1024')

    const gallery = page.getByRole('region', { name: 'Gallery' })
    const thumb = gallery.getByRole('img', { name: PROMPT })
    await thumb.waitFor()
    await waitForText(gallery, '1024 × 1024')
    // Page functions are passed as source text: this file is type-checked without the DOM library.
    await page.waitForFunction(
      `[...document.querySelectorAll('img')].some((img) => img.alt === ${JSON.stringify(PROMPT)} && img.complete && img.naturalWidth > 0)`,
    )

    // The full-size file, loaded through the page like any image it shows.
    const fullUrl = await thumb.evaluate((img) => img.closest('a')?.href ?? '')
    expect(fullUrl).toMatch(new RegExp(`^${origin}/media/images/`))
    const natural = (await page.evaluate(`new Promise((resolve, reject) => {
      const img = new Image()
      img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight })
      img.onerror = () => reject(new Error('could not load the full image'))
      img.src = ${JSON.stringify(fullUrl)}
    })`)) as { width: number; height: number }
    expect(natural).toEqual({ width: 1024, height: 1024 })

    await mkdir(SCREENSHOT_DIR, { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  it('refuses an API call that does not carry the token cookie', async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/call', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'providers.list', input: {} }),
      })
      return response.status
    })
    expect(status).toBe(401)
    const withCookie = await page.evaluate(async () => {
      const response = await fetch('/api/call', {
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
