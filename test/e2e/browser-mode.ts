import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { parseSizeText } from '../../src/shared/api'
import { shapeOf, sizeOptionName } from '../../src/shared/sizes/size-shapes'

// Every end-to-end spec drives the same thing: `npm run web` on a fresh library, opened in real
// Chromium. This module starts and stops that pair, so specs only describe what a user does.

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const RENDERER_INDEX = join(REPO, 'out', 'renderer', 'index.html')
// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1 npm test), so a normal
// test run leaves the working tree clean; otherwise they go to the ignored test-results folder.
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS ? join(REPO, 'docs', 'screenshots') : join(REPO, 'test-results')
export const URL_LINE = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface BrowserMode {
  home: string
  /** The printed address with its token: it signs a browser in once (use signIn / openApp). */
  appUrl: string
  /**
   * Where signing in led: the app's own address (`<origin>/s/<id>/`), which the signed-in page
   * can open again. Set by the first signIn.
   */
  appPage: string | null
  origin: string
  browser: Browser
  context: BrowserContext
  page: Page
  /** Everything the web server wrote to stderr so far (for failure messages). */
  stderr(): string
  /** Everything the web server wrote to stdout so far (its banner and URL, then nothing). */
  stdout(): string
  close(): Promise<void>
}

export interface BrowserModeOptions {
  /** An existing library folder to serve (left in place on close); by default a fresh temp one. */
  home?: string
  /** Extra arguments for src/web/main.ts (the library and port are always set). */
  args?: string[]
  env?: NodeJS.ProcessEnv
  /** Extra Chromium flags, after the usual headless ones. */
  chromiumArgs?: string[]
  colorScheme?: 'light' | 'dark'
  viewport?: { width: number; height: number }
}

/** Starts `npm run web` (without its build step) and resolves with the URL it prints last. */
function startWeb(home: string, options: BrowserModeOptions): Promise<{ child: ChildProcess; url: string; stderr: () => string; stdout: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--home', home, '--port', '0', ...(options.args ?? ['--demo-delay', '200'])],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PROOFSHEET_HOME: home, ...options.env } },
  )
  let stderr = ''
  let stdout = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      if (URL_LINE.test(line.trim())) resolve({ child, url: line.trim(), stderr: () => stderr, stdout: () => stdout })
    })
    child.once('exit', (code) => reject(new Error(`npm run web exited (${code}) before printing its URL:\n${stderr}`)))
    child.once('error', reject)
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** A fresh library (or `options.home`), the web server on it and a Chromium page (not yet navigated). */
export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`The renderer is not built (${RENDERER_INDEX} is missing): run \`npx electron-vite build\` first.`)
  }
  const ownHome = options.home === undefined
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'proofsheet-e2e-')))
  const removeHome = async (): Promise<void> => {
    if (ownHome) await rm(home, { recursive: true, force: true })
  }
  // The recent-libraries list goes to a config folder of this run's own, not the user's.
  const configHome = await mkdtemp(join(tmpdir(), 'proofsheet-e2e-config-'))
  const removeConfig = (): Promise<void> => rm(configHome, { recursive: true, force: true })
  const web = await startWeb(home, { ...options, env: { PROOFSHEET_CONFIG_HOME: configHome, ...options.env } }).catch(async (err: unknown) => {
    await removeHome()
    await removeConfig()
    throw err
  })
  const browser = await chromium
    .launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...(options.chromiumArgs ?? [])] })
    .catch(async (err: unknown) => {
      await stopChild(web.child)
      await removeHome()
      await removeConfig()
      throw err
    })
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 960 },
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = await context.newPage()
  return {
    home,
    appUrl: web.url,
    appPage: null,
    origin: new URL(web.url).origin,
    browser,
    context,
    page,
    stderr: web.stderr,
    stdout: web.stdout,
    async close() {
      await browser.close()
      await stopChild(web.child)
      await removeHome()
      await removeConfig()
    },
  }
}

/** Waits until some element matched by `locator` contains `text`. */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout })
}

/** Saves a full-page screenshot under SCREENSHOT_DIR (docs/screenshots when refreshing). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true })
}

/**
 * One call over the browser bridge from the page itself (it carries the session cookie). The
 * call goes beside the page (`api/call`), where the app's own path scopes the cookie to.
 */
export async function callBridge<T = unknown>(page: Page, name: string, input: unknown): Promise<{ ok: boolean; value?: T; error?: unknown }> {
  const body = JSON.stringify({ name, input })
  return (await page.evaluate(`fetch('api/call', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(body)},
  }).then((r) => r.json())`)) as { ok: boolean; value?: T; error?: unknown }
}

/**
 * Opens the app in the page: the first time with the printed address (which works once: it
 * signs the browser in and moves to the app's own address), afterwards at that address.
 */
export async function signIn(mode: BrowserMode): Promise<void> {
  if (mode.appPage !== null) {
    await mode.page.goto(mode.appPage)
    return
  }
  await mode.page.goto(mode.appUrl)
  mode.appPage = mode.page.url()
}

/** Signs in (or comes back to the app's address) and waits for the app to render. */
export async function openApp(mode: BrowserMode): Promise<void> {
  await signIn(mode)
  await mode.page.getByRole('heading', { name: 'Proofsheet' }).waitFor()
}

/**
 * Waits until an <img> with this alt text has loaded, and returns its natural size. Polled with
 * page.evaluate: waitForFunction polls through eval, which the renderer's CSP forbids.
 */
export async function loadedImageSize(page: Page, alt: string, timeout = 30_000): Promise<{ width: number; height: number }> {
  const probe = `(() => {
    const img = [...document.querySelectorAll('img')].find((i) => i.alt === ${JSON.stringify(alt)} && i.complete && i.naturalWidth > 0)
    return img ? { width: img.naturalWidth, height: img.naturalHeight } : null
  })()`
  const deadline = Date.now() + timeout
  for (;;) {
    const size = (await page.evaluate(probe)) as { width: number; height: number } | null
    if (size) return size
    if (Date.now() > deadline) throw new Error(`No loaded image with alt text "${alt}" within ${timeout} ms.`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The queue lives in a drawer: opens it (with the header's "Queue" strip) and returns its region. */
export async function openQueue(page: Page): Promise<Locator> {
  const strip = page.getByRole('button', { name: 'Queue', exact: true })
  if ((await strip.getAttribute('aria-expanded')) !== 'true') await strip.click()
  const region = page.getByRole('region', { name: 'Queue' })
  await region.waitFor()
  return region
}

/** Closes the queue drawer (it covers the gallery's right edge while open). */
export async function closeQueue(page: Page): Promise<void> {
  const strip = page.getByRole('button', { name: 'Queue', exact: true })
  if ((await strip.getAttribute('aria-expanded')) === 'true') await strip.click()
  await page.getByRole('region', { name: 'Queue' }).waitFor({ state: 'hidden' })
}

/** Unfolds the prompt bar's "More options" (format, quality, background, images per size). */
export async function showMoreOptions(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /^More options/ })
  // The library's remembered layout may arrive just after a first look and open it by itself:
  // look again after each click rather than trusting one reading.
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await toggle.getAttribute('aria-expanded')) === 'true') return
    await toggle.click()
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('"More options" would not stay open.')
}

/**
 * Chooses (or with `on` false, clears) a size in the prompt bar's pickers the way a person does:
 * its shape in "Aspect", then its checkbox in "Resolution" ("1024 × 1024", "2K (2048 × 1152)").
 * `size` is the size's one spelling: '1024x1024', '16:9@2K', 'auto'.
 */
export async function chooseSize(page: Page, size: string, on = true): Promise<void> {
  const spec = parseSizeText(size)
  if (!spec) throw new Error(`chooseSize: "${size}" is no size`)
  const sizes = page.getByRole('group', { name: 'Sizes' })
  await sizes.getByRole('radiogroup', { name: 'Aspect' }).getByRole('radio', { name: shapeOf(spec) ?? 'Auto', exact: true }).check()
  const box = sizes.getByRole('group', { name: 'Resolution' }).getByRole('checkbox', { name: sizeOptionName(spec), exact: true })
  if (on) await box.check()
  else await box.uncheck()
}

/** The sizes the prompt bar will make, in their one spelling, from its "Chosen sizes" chips. */
export async function chosenSizes(page: Page): Promise<string[]> {
  const chips = page.getByRole('group', { name: 'Sizes' }).getByRole('list', { name: 'Chosen sizes' }).getByRole('listitem')
  const labels = await chips.evaluateAll((items) => items.map((item) => item.getAttribute('data-size') ?? ''))
  return labels
}

/** One size as a tick-box-like handle (checked: among the chosen sizes), for specs that toggle it. */
export function sizeChoice(page: Page, size: string): { isChecked(): Promise<boolean>; check(): Promise<void>; uncheck(): Promise<void>; setChecked(on: boolean): Promise<void> } {
  return {
    isChecked: async () => (await chosenSizes(page)).includes(size),
    check: () => chooseSize(page, size, true),
    uncheck: () => chooseSize(page, size, false),
    setChecked: (on) => chooseSize(page, size, on),
  }
}

/** Makes exactly these sizes the chosen ones (clearing the others), through the pickers. */
export async function chooseSizes(page: Page, sizes: readonly string[]): Promise<void> {
  for (const size of await chosenSizes(page)) if (!sizes.includes(size)) await chooseSize(page, size, false)
  for (const size of sizes) await chooseSize(page, size)
}
