/**
 * The interface's speed (issue 11, "Speed of the interface"), measured in real Chromium against
 * browser mode: the built renderer, served by src/web/main.ts over a library of 100,036 images and
 * 500 queued jobs (bench/renderer-library.ts). Each run opens a fresh page in a new browser
 * context (empty cache) and measures, in the page:
 *
 *  (c) the first gallery thumbnail: navigation start to the first gallery <img> loaded;
 *  (d) the cost preview: a size checkbox's click event to the Cost preview's final text;
 *  (e) search: the last key press of a rare word to the gallery's final count and first tile;
 *  (a) elements in the document, sampled while the gallery scrolls through many pages with the
 *      queue (drawer) open, and (b) the frame time p95 of that scroll while thumbnails load.
 *
 * Chromium: /usr/bin/chromium through playwright-core, headless, the flags of the end-to-end tests.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { REPO, startBrowserMode, type BrowserMode } from '../test/e2e/browser-mode'
import { within, type Benchmark, type BenchmarkOptions, type BenchmarkResult } from './benchmark'
import { buildRendererLibrary, NEAR_MISS_WORD, RARE_WORD, type RendererLibraryFacts } from './renderer-library'
import { call, FIRST_THUMB, PAGE_SCRIPT } from './renderer-page'
import { median, ms, p95 } from './stats'

const VIEWPORT = { width: 1440, height: 960 }
/** The scroll: a brisk, steady pace, long enough to cross several of the gallery's 120-image pages. */
const SCROLL_PX_PER_S = 3000
const SCROLL_MS = 12_000
const SAMPLE_EVERY_MS = 100
/** A latency has settled when its text has not changed for this long. */
const QUIET_MS = 1000
const SEARCH_SAMPLES = 3
const KEY_DELAY_MS = 100
/** Size names as the checkboxes carry them: pixels, an aspect ratio, or a resolution tier. */
const SIZE_NAME = /^\s*(\d{2,5}\s*[x×]\s*\d{2,5}|\d{1,2}:\d{1,2}|[124]K)\s*$/

interface Goal {
  key: 'elements' | 'frameP95' | 'firstThumb' | 'cost' | 'search'
  what: string
  goal: string
  limit: number
  unit: string
}

const GOALS: readonly Goal[] = [
  { key: 'elements', what: 'Elements in the document while scrolling the gallery (max), queue open', goal: 'fewer than 600', limit: 600, unit: '' },
  { key: 'frameP95', what: 'Frame time p95 while scrolling, thumbnails loading', goal: 'under 50 ms', limit: 50, unit: ' ms' },
  { key: 'firstThumb', what: 'First thumbnail after navigation start', goal: 'under 1 s', limit: 1000, unit: ' ms' },
  { key: 'cost', what: 'Cost preview after ticking a size', goal: 'under 100 ms', limit: 100, unit: ' ms' },
  { key: 'search', what: `Search results after the last key of a rare word ("${RARE_WORD}")`, goal: 'under 150 ms', limit: 150, unit: ' ms' },
]

interface Latency {
  latencyMs: number
  firstChangeMs: number | null
  changes: number
  final: string
}

interface ScrollResult {
  frameDeltas: number[]
  elementCounts: number[]
  scrolledPx: number
  maxRow: number
  columns: number | null
  rowsAtEnd: number | null
  thumbnailsLoaded: number
  thumbnailsFailed: number
  pendingAtEnd: number
}

interface RunResult {
  values: Partial<Record<Goal['key'], number>>
  errors: Partial<Record<Goal['key'], string>>
  firstThumb?: { at: number; requestStart: number | null; responseEnd: number | null; domContentLoaded: number | null }
  queue?: { drawer: string; elements: number | null; items: number | null }
  elementsAtRest?: number
  grid?: unknown
  cost?: (Latency & { size: string; ticked: boolean })[]
  search?: Latency[]
  scroll?: Omit<ScrollResult, 'frameDeltas' | 'elementCounts'> & { frames: number; longestFrameMs: number; framesOver50: number; medianFrameMs: number }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const evaluate = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>

/** Builds the renderer as `npm run web` does (electron-vite build), unless PROOFSHEET_SKIP_BUILD=1. */
function buildRenderer(log: (line: string) => void): void {
  if (process.env.PROOFSHEET_SKIP_BUILD) {
    log('renderer: PROOFSHEET_SKIP_BUILD is set, measuring the renderer already in out/')
    return
  }
  const started = performance.now()
  const built = spawnSync('npm', ['exec', '--', 'electron-vite', 'build'], { cwd: REPO, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}\n${built.stderr}`)
  log(`renderer: built with electron-vite in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

/**
 * Waits until the watched text is what `done` expects and has not changed for QUIET_MS since
 * the last change or input (or, in case a new layout words it differently, has changed and then
 * not for 3 x QUIET_MS); throws after `capMs` with what the text was.
 */
async function settle(page: Page, what: string, done: (snap: string) => boolean, capMs = 20_000): Promise<void> {
  const deadline = Date.now() + capMs
  for (;;) {
    const state = await evaluate<{ quietMs: number; changes: number; snap: string }>(page, call('watchState'))
    if (state.changes > 0 && state.quietMs >= QUIET_MS && done(state.snap)) return
    if (state.changes > 0 && state.quietMs >= 3 * QUIET_MS) return
    if (Date.now() > deadline) {
      await evaluate(page, call('finishWatch', 'click'))
      throw new Error(`${what}: not there within ${capMs / 1000} s (the text was: ${state.snap.slice(0, 200)})`)
    }
    await sleep(100)
  }
}

async function finishWatch(page: Page, input: 'click' | 'keydown'): Promise<Latency> {
  const result = await evaluate<Latency & { error?: string }>(page, call('finishWatch', input))
  if (result.error) throw new Error(`${result.error} (final text: ${result.final.slice(0, 200)})`)
  return result
}

/** Opens the queue drawer when there is one (a closed "Queue" button); says what it found. */
async function openQueue(page: Page): Promise<string> {
  const toggle = page.getByRole('button', { name: 'Queue', exact: true })
  if ((await toggle.count()) === 1) {
    if ((await toggle.getAttribute('aria-expanded')) === 'false') {
      await toggle.click()
      await sleep(500)
      return 'drawer opened with its "Queue" button'
    }
    return 'drawer already open'
  }
  return 'no drawer button: the Queue region is always shown'
}

/**
 * (d) With one size kept checked (the app's default, else the first size, ticked untimed first),
 * ticks another size and unticks it, for two sizes: four clicks, each needing a new estimate,
 * each timed in the page. A size ticked here for the set-up is unticked again at the end.
 */
async function measureCost(page: Page): Promise<(Latency & { size: string; ticked: boolean })[]> {
  const boxes = await evaluate<{ name: string; checked: boolean; disabled: boolean }[]>(page, call('checkboxes', SIZE_NAME.source))
  const usable = boxes.filter((b) => !b.disabled)
  const base = usable.some((b) => b.checked) ? null : usable[0]?.name
  const others = usable.filter((b) => !b.checked && b.name !== base).slice(0, 2).map((b) => b.name)
  if (others.length === 0) throw new Error(`not enough size checkboxes to tick (checkboxes named like 1024x1024; found ${boxes.length})`)
  const click = async (size: string, ticked: boolean): Promise<Latency & { size: string; ticked: boolean }> => {
    await evaluate(page, call('watch', 'cost'))
    await page.getByRole('checkbox', { name: size, exact: true }).click()
    // The preview names every checked size: done when it names this one (ticked) or no longer does.
    await settle(page, `cost preview after ${ticked ? 'ticking' : 'unticking'} ${size}`, (text) => text.includes(size) === ticked)
    return { ...(await finishWatch(page, 'click')), size, ticked }
  }
  if (base) await click(base, true)
  const out: (Latency & { size: string; ticked: boolean })[] = []
  for (const size of others) {
    out.push(await click(size, true))
    out.push(await click(size, false))
  }
  if (base) await click(base, false)
  return out
}

/** The count text of a search snapshot (see renderer-page.ts). */
const countText = (snap: string): string => (JSON.parse(snap) as [string[]])[0].join(' ')

/** (e) Types the rare word into "Search prompts" at a typist's pace, then clears it; SEARCH_SAMPLES times. */
async function measureSearch(page: Page, expected: number): Promise<Latency[]> {
  const box = page.getByRole('searchbox', { name: 'Search prompts' })
  const out: Latency[] = []
  // Done when the count says how many images have the word (and nothing changes for a while).
  const found = (snap: string): boolean => new RegExp(`(^|\\D)${expected}(\\D|$)`).test(countText(snap))
  for (let i = 0; i < SEARCH_SAMPLES; i++) {
    await box.click()
    await evaluate(page, call('watch', 'search'))
    await page.keyboard.type(RARE_WORD, { delay: KEY_DELAY_MS })
    await settle(page, `search for "${RARE_WORD}"`, found)
    out.push(await finishWatch(page, 'keydown'))
    // Back to the whole library, not timed.
    await evaluate(page, call('watch', 'search'))
    await box.fill('')
    await settle(page, 'clearing the search', (snap) => !found(snap))
    await evaluate(page, call('finishWatch', 'keydown'))
  }
  return out
}

/** The signed-in session (its cookie) and the app's own address, which every fresh context starts from. */
interface Session {
  storageState: Awaited<ReturnType<BrowserMode['context']['storageState']>>
  appPage: string
}

/**
 * One measured run in a fresh browser context (empty cache) carrying the warm-up's session: the
 * printed address signs a browser in only once, so each run opens the app's own address with
 * that session's cookie. Each measurement records its value or why it could not.
 */
async function measureRun(mode: BrowserMode, session: Session, rareImages: number): Promise<RunResult> {
  const result: RunResult = { values: {}, errors: {} }
  const context = await mode.browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', storageState: session.storageState })
  try {
    await context.addInitScript(PAGE_SCRIPT)
    const page = await context.newPage()
    await page.goto(session.appPage)
    const deadline = Date.now() + 30_000
    for (;;) {
      const first = await evaluate<RunResult['firstThumb'] | null>(page, FIRST_THUMB)
      if (first) {
        result.firstThumb = first
        result.values.firstThumb = first.at
        break
      }
      if (Date.now() > deadline) {
        result.errors.firstThumb = 'no gallery thumbnail loaded within 30 s'
        break
      }
      await sleep(50)
    }
    // Let the rest of the first load (queue, facets, estimates) finish before timing anything else.
    await sleep(1500)

    const drawer = await openQueue(page)
    result.queue = {
      drawer,
      elements: await evaluate<number | null>(page, call('regionElementCount', 'Queue')),
      items: await evaluate<number | null>(page, call('regionItemCount', 'Queue')),
    }
    if (result.queue.elements === null) result.queue.drawer += '; no "Queue" region found'

    try {
      result.cost = await measureCost(page)
      result.values.cost = median(result.cost.map((c) => c.latencyMs))
    } catch (err) {
      result.errors.cost = err instanceof Error ? err.message : String(err)
    }
    try {
      result.search = await measureSearch(page, rareImages)
      result.values.search = median(result.search.map((s) => s.latencyMs))
    } catch (err) {
      result.errors.search = err instanceof Error ? err.message : String(err)
    }

    await evaluate(page, call('scrollToTop'))
    await sleep(1000)
    result.elementsAtRest = await evaluate<number>(page, call('elementCount'))
    result.grid = await evaluate(page, call('gridInfo'))
    const scroll = await evaluate<ScrollResult & { error?: string }>(page, call('scroll', { pxPerSecond: SCROLL_PX_PER_S, durationMs: SCROLL_MS, sampleEveryMs: SAMPLE_EVERY_MS }))
    if (scroll.error) {
      result.errors.elements = scroll.error
      result.errors.frameP95 = scroll.error
    } else {
      const { frameDeltas, elementCounts, ...rest } = scroll
      result.values.elements = Math.max(...elementCounts)
      result.values.frameP95 = p95(frameDeltas)
      result.scroll = {
        ...rest,
        frames: frameDeltas.length,
        medianFrameMs: median(frameDeltas),
        longestFrameMs: Math.max(...frameDeltas),
        framesOver50: frameDeltas.filter((d) => d > 50).length,
      }
    }
  } finally {
    await context.close()
  }
  return result
}

const fmt = (goal: Goal, x: number): string => (goal.unit ? ms(x) : String(Math.round(x)))
const range = (xs: number[], f: (x: number) => string): string => {
  if (xs.length === 0) return '-'
  const [lo, hi] = [f(Math.min(...xs)), f(Math.max(...xs))]
  return lo === hi ? lo : `${lo}-${hi}`
}

export const rendererBenchmark: Benchmark = {
  name: 'renderer',
  title: 'Renderer (real Chromium, browser mode)',
  async run({ repeats, log }: BenchmarkOptions): Promise<BenchmarkResult> {
    buildRenderer(log)
    const home = mkdtempSync(join(tmpdir(), 'proofsheet-bench-renderer-'))
    const loads: number[] = []
    const runs: RunResult[] = []
    let facts: RendererLibraryFacts
    let mode: BrowserMode | null = null
    let sampler: NodeJS.Timeout | undefined
    try {
      facts = await buildRendererLibrary(home, log)
      mode = await startBrowserMode({ home, viewport: VIEWPORT })
      // Warm-up, not recorded: the server's first requests, SQLite's page cache and the orphan
      // sweep the queue runner does at start all land here instead of on run 1.
      // It also signs the browser in: the printed address works once, so the runs reuse its session.
      await within(mode.page.goto(mode.appUrl).then(() => sleep(3000)), 60_000, 'the warm-up page load')
      const session: Session = { storageState: await mode.context.storageState(), appPage: mode.page.url() }
      await mode.page.close()
      sampler = setInterval(() => loads.push(loadavg()[0]!), 1000)
      loads.push(loadavg()[0]!)
      for (let i = 0; i < repeats; i++) {
        const run = await within(measureRun(mode, session, facts.rareImages), 180_000, `renderer run ${i + 1}`)
        runs.push(run)
        const v = run.values
        log(
          `renderer run ${i + 1}: elements ${v.elements ?? '-'}, frame p95 ${v.frameP95 !== undefined ? ms(v.frameP95) : '-'} ms, first thumbnail ${v.firstThumb !== undefined ? ms(v.firstThumb) : '-'} ms, cost ${v.cost !== undefined ? ms(v.cost) : '-'} ms, search ${v.search !== undefined ? ms(v.search) : '-'} ms; load ${loadavg()[0]!.toFixed(1)}`,
        )
        for (const [key, error] of Object.entries(run.errors)) log(`  ${key}: could not measure: ${error}`)
      }
    } finally {
      clearInterval(sampler)
      await mode?.close()
      rmSync(home, { recursive: true, force: true })
    }

    const verdicts = GOALS.map((goal) => {
      const values = runs.map((r) => r.values[goal.key]).filter((x): x is number => x !== undefined)
      const missing = runs.length - values.length
      const met = missing === 0 && values.every((x) => x < goal.limit)
      return { goal, values, missing, met, verdict: missing > 0 ? 'NOT MEASURED' : met ? 'MET' : 'MISSED' }
    })
    const costSamples = runs.flatMap((r) => r.cost ?? [])
    const searchSamples = runs.flatMap((r) => r.search ?? [])
    const scrolls = runs.map((r) => r.scroll).filter((s) => s !== undefined)
    const thumbs = runs.map((r) => r.firstThumb).filter((t) => t !== undefined)
    const worst = (goal: Goal): string => {
      if (goal.key === 'cost') return costSamples.length ? `slowest click ${ms(Math.max(...costSamples.map((c) => c.latencyMs)))} ms` : '-'
      if (goal.key === 'search') return searchSamples.length ? `slowest search ${ms(Math.max(...searchSamples.map((c) => c.latencyMs)))} ms` : '-'
      if (goal.key === 'frameP95') return scrolls.length ? `longest frame ${ms(Math.max(...scrolls.map((s) => s.longestFrameMs)))} ms` : '-'
      if (goal.key === 'elements') return runs.some((r) => r.elementsAtRest) ? `${range(runs.map((r) => r.elementsAtRest ?? NaN).filter(Number.isFinite), String)} before scrolling` : '-'
      return '-'
    }
    const how: Record<Goal['key'], string> = {
      elements: `\`document.getElementsByTagName('*').length\` every ${SAMPLE_EVERY_MS} ms during the scroll; max per run`,
      frameP95: 'requestAnimationFrame deltas during the scroll; p95 per run',
      firstThumb: 'performance.now() at the load event of the first gallery `<img>` with naturalWidth > 0',
      cost: 'click event timeStamp to the DOM change after which the region\'s text stayed final; median of 4 clicks (tick, untick) per run',
      search: `last keydown timeStamp to the DOM change after which count text and first tile stayed final; median of ${SEARCH_SAMPLES} per run`,
    }
    const rows = verdicts.map(({ goal, values, missing, verdict }) => [
      goal.what,
      goal.goal,
      values.length ? fmt(goal, median(values)) + goal.unit : '-',
      range(values, (x) => fmt(goal, x)),
      runs.map((r) => (r.values[goal.key] !== undefined ? fmt(goal, r.values[goal.key]!) : 'x')).join(', '),
      missing > 0 ? `${verdict} (${missing} run(s))` : verdict,
      worst(goal),
      how[goal.key],
    ])
    const loadText = loads.length ? `${median(loads).toFixed(1)} (${range(loads, (x) => x.toFixed(1))})` : '-'
    const summary = [
      ...verdicts.map(({ goal, values, verdict }) =>
        values.length ? `${goal.what}: goal ${goal.goal}: ${verdict}; median ${fmt(goal, median(values))}${goal.unit}, range ${range(values, (x) => fmt(goal, x))}${goal.unit}.` : `${goal.what}: ${verdict}.`,
      ),
      `1-minute load average while measuring: median ${loadText}, sampled every second on ${runs.length} run(s); the browser, the web server and this script share the machine.`,
    ]

    const errors = runs.flatMap((r, i) => Object.entries(r.errors).map(([k, e]) => `run ${i + 1}, ${k}: ${e}`))
    const scrollText = scrolls
      .map((s) => `${Math.round(s.scrolledPx).toLocaleString('en')} px to grid row ${s.maxRow} of ${s.rowsAtEnd ?? '?'} loaded (${s.columns ?? '?'} columns: about ${s.columns ? (s.maxRow * s.columns).toLocaleString('en') : '?'} images, ${s.columns ? ((s.maxRow * s.columns) / 120).toFixed(1) : '?'} pages of 120), ${s.frames} frames (median ${ms(s.medianFrameMs)} ms, ${s.framesOver50} over 50 ms), ${s.thumbnailsLoaded} thumbnails loaded, ${s.thumbnailsFailed} failed, ${s.pendingAtEnd} still loading at the end`)
      .join('; ')
    const f = facts!
    const notes = [
      `Each of the ${runs.length} run(s) is a new browser context (empty cache, new session cookie) and a fresh page on the same web server, after one unrecorded warm-up page load. In a run: load the page and wait for the first thumbnail (c); wait 1.5 s; open the queue drawer if there is one (${runs[0]?.queue?.drawer ?? '-'}); with one size checked (the default, else the first, ticked untimed), tick a second size and untick it, for two sizes, each a Playwright click (d); ${SEARCH_SAMPLES} times type "${RARE_WORD}" into "Search prompts" at ${KEY_DELAY_MS} ms a key and clear it again (e); scroll the gallery back to the top, then scroll its scroller (${(runs[0]?.grid as { scroller?: string } | undefined)?.scroller ?? '?'}) down at ${SCROLL_PX_PER_S} px/s for ${SCROLL_MS / 1000} s, setting scrollTop every 16 ms by the time since the last step, while thumbnails load (a, b). Viewport ${VIEWPORT.width}x${VIEWPORT.height}, light theme, the tile size the app starts with (tile width ${range(runs.map((r) => (r.grid as { tileWidth?: number } | undefined)?.tileWidth ?? NaN).filter(Number.isFinite), (x) => Math.round(x).toString())} px).`,
      `All times are taken inside the page (performance.now() and event timeStamps, one clock from navigation start); a latency ends at the DOM change (MutationObserver) after which the watched text no longer changed for ${QUIET_MS} ms, i.e. when the final figures are in the document, before paint. A run's figure is the max (a), the p95 (b), the single load (c) or the median of its samples (d, e); "met" means every run met the goal. Per-run figures are listed in run order (x: not measured). Headless Chromium draws at 60 Hz, so frame deltas come in steps of 16.7 ms: a p95 of 33.3 or 50.0 ms means at least 5% of the frames took two or three intervals. Goals from issue 11 ("Speed of the interface").`,
      `The scroll: ${scrollText || '-'}. Queue region with the drawer open: ${runs.map((r) => `${r.queue?.elements ?? '?'} elements, ${r.queue?.items ?? '?'} list items or rows`).join('; ')}. First thumbnail: ${thumbs.map((t) => `DOM ready ${t.domContentLoaded !== null ? ms(t.domContentLoaded) : '?'} ms, its request sent ${t.requestStart !== null ? ms(t.requestStart) : '?'} ms, its bytes in ${t.responseEnd !== null ? ms(t.responseEnd) : '?'} ms, loaded ${ms(t.at)} ms`).join('; ')}. Cost preview, first DOM change after the click: ${costSamples.map((c) => (c.firstChangeMs !== null ? ms(c.firstChangeMs) : '-')).join(', ')} ms (final text after ${costSamples.map((c) => ms(c.latencyMs)).join(', ')} ms). Search results: ${searchSamples.map((s) => ms(s.latencyMs)).join(', ')} ms, showing ${[...new Set(searchSamples.map((s) => countText(s.final)))].join(' / ') || '-'}.`,
      `Library: ${f.images.toLocaleString('en')} images (the gallery benchmark's 100,000 rows, same seed, plus ${f.rareImages} whose prompt has "${RARE_WORD}" and ${f.nearMissImages} with "${NEAR_MISS_WORD}", which the search finds until the word's last letter) in ${f.galleryJobs.toLocaleString('en')} succeeded jobs, rows written through the repositories in ${(f.rowsMs / 1000).toFixed(1)} s; every row has its own thumbnail file (\`thumbs/2025/03/<id>.webp\`, as the row says), hard links to ${f.thumbnailFiles} distinct photo-like WebP thumbnails made with sharp (${(f.thumbnailBytes.min / 1000).toFixed(1)}-${(f.thumbnailBytes.max / 1000).toFixed(1)} KB, median ${(f.thumbnailBytes.median / 1000).toFixed(1)} KB), placed in ${(f.thumbsMs / 1000).toFixed(1)} s, so each tile is its own request and decode. Queue: ${f.queued} queued demo jobs (the queue paused, so they stay queued), ${f.failed} failed and ${f.interrupted} interrupted, made through jobs.generate on a real engine in ${(f.queueMs / 1000).toFixed(1)} s; none running (a job left running would be recovered when the web server starts its queue). Library on the OS temp folder; web server: src/web/main.ts as the end-to-end tests start it (test/e2e/browser-mode.ts).`,
      ...(errors.length ? [`Could not measure: ${errors.join('; ')}.`] : []),
    ]
    return {
      summary,
      table: { head: ['Measurement', 'Goal', 'Median', 'Range', 'Per run', 'Met in every run', 'Worst / context', 'How'], rows },
      notes,
      raw: { facts: facts!, loads, runs },
    }
  },
}
