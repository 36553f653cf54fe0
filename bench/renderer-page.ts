/**
 * What the renderer benchmark runs inside the page. It is plain JavaScript in a string: the bench
 * is compiled for Node (no DOM types), and the renderer's CSP forbids eval, so Playwright's
 * waitForFunction cannot poll in it; an init script and page.evaluate of an expression can.
 *
 * Every time is taken in the page with performance.now() (milliseconds since navigation start)
 * or an event's timeStamp (the same clock), never from a round trip to Node. Controls are found
 * by their accessible roles and names (docs/design.md, "Interface names"), so a new layout of the
 * same controls still measures.
 */

/** Installed with context.addInitScript: runs in every document before the app's own scripts. */
export const PAGE_SCRIPT = String.raw`(() => {
  if (window.__bench) return
  const nameOf = (el) => {
    const label = el.getAttribute('aria-label')
    if (label) return label.trim()
    const by = el.getAttribute('aria-labelledby')
    if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim()
    return null
  }
  const REGION_TAGS = new Set(['SECTION', 'ASIDE', 'DIV', 'NAV', 'MAIN', 'DIALOG', 'FORM'])
  const isRegion = (el, name) => {
    const role = el.getAttribute('role')
    if (role && role !== 'region' && role !== 'dialog' && role !== 'complementary' && role !== 'group') return false
    return REGION_TAGS.has(el.tagName) && nameOf(el) === name
  }
  /** The element with role region (or a named section) called name. */
  const region = (name) => [...document.querySelectorAll('[aria-label], [aria-labelledby]')].find((el) => isRegion(el, name)) ?? null
  const inRegion = (el, name) => {
    for (let e = el; e; e = e.parentElement) if (isRegion(e, name)) return true
    return false
  }
  const galleryGrid = () => region('Gallery')?.querySelector('[role="grid"]') ?? null
  /** What scrolls the grid: the grid itself, the nearest scrolling ancestor, or the page. */
  const scrollerOf = (el) => {
    for (let e = el; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowY
      if ((overflow === 'auto' || overflow === 'scroll' || overflow === 'overlay') && e.scrollHeight > e.clientHeight + 1) return e
    }
    return document.scrollingElement ?? document.documentElement
  }
  const elementCount = () => document.getElementsByTagName('*').length

  const bench = (window.__bench = { firstThumb: null, inputs: [], watch: null })

  // (c) The first gallery thumbnail that has loaded (complete, naturalWidth > 0). Image load
  // events do not bubble, but they pass the document on their way down (capture).
  document.addEventListener('load', (event) => {
    const img = event.target
    if (bench.firstThumb || !img || img.tagName !== 'IMG' || !(img.naturalWidth > 0) || !inRegion(img, 'Gallery')) return
    const entry = performance.getEntriesByName(img.currentSrc)[0]
    bench.firstThumb = {
      at: performance.now(),
      src: img.currentSrc,
      requestStart: entry ? entry.startTime : null,
      responseEnd: entry ? entry.responseEnd : null,
      domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
    }
  }, true)

  // The user's side of a latency: clicks and key presses, with the time the browser stamped them.
  for (const type of ['click', 'keydown']) {
    document.addEventListener(type, (event) => {
      bench.inputs.push({ type, key: event.key ?? null, at: event.timeStamp, target: event.target?.getAttribute?.('aria-label') ?? event.target?.tagName ?? null })
    }, true)
  }

  const SNAPSHOTS = {
    // (d) Everything the Cost preview region says.
    cost: () => region('Cost preview')?.textContent ?? '(no Cost preview region)',
    // (e) What says the results are there: the count text and the first tile (its image, or its
    // text) and the number of rows the grid says it has.
    search: () => {
      const gallery = region('Gallery')
      if (!gallery) return '(no Gallery region)'
      const grid = gallery.querySelector('[role="grid"]')
      const counts = []
      const walker = document.createTreeWalker(gallery, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (grid && grid.contains(node)) continue
        const text = node.textContent ?? ''
        if (/\d[\d,.]*\s*(matching|images?|results?)\b/i.test(text) || /^\s*no images/i.test(text)) counts.push(text.trim())
      }
      const firstCell = grid?.querySelector('[role="gridcell"]') ?? null
      const firstImg = firstCell?.querySelector('img') ?? null
      const first = firstImg ? firstImg.getAttribute('src') + ' ' + firstImg.alt : firstCell?.textContent ?? '(no tile)'
      return JSON.stringify([counts, first, grid?.getAttribute('aria-rowcount') ?? null])
    },
  }

  bench.api = {
    hasRegion: (name) => region(name) !== null,
    /** Checkboxes whose accessible name matches the pattern (the size choices), in page order. */
    checkboxes(pattern) {
      const re = new RegExp(pattern)
      return [...document.querySelectorAll('input[type="checkbox"], [role="checkbox"]')]
        .map((el) => ({
          name: (nameOf(el) ?? el.labels?.[0]?.textContent ?? el.closest('label')?.textContent ?? '').trim(),
          checked: el.matches('input') ? el.checked : el.getAttribute('aria-checked') === 'true',
          disabled: el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true',
        }))
        .filter((box) => re.test(box.name))
    },
    elementCount,
    regionElementCount: (name) => region(name)?.getElementsByTagName('*').length ?? null,
    regionItemCount: (name) => region(name)?.querySelectorAll('li, [role="listitem"], [role="row"]').length ?? null,
    gridInfo: () => {
      const grid = galleryGrid()
      if (!grid) return null
      const scroller = scrollerOf(grid)
      return {
        rows: Number(grid.getAttribute('aria-rowcount')) || null,
        columns: Number(grid.getAttribute('aria-colcount')) || null,
        scroller: scroller === grid ? 'the grid' : scroller === document.scrollingElement ? 'the page' : 'an ancestor of the grid',
        scrollTop: scroller.scrollTop,
        scrollHeight: scroller.scrollHeight,
        clientHeight: scroller.clientHeight,
        tileWidth: grid.querySelector('[role="gridcell"]')?.getBoundingClientRect().width ?? null,
        images: grid.querySelectorAll('img').length,
      }
    },
    scrollToTop: () => {
      const grid = galleryGrid()
      if (grid) scrollerOf(grid).scrollTop = 0
    },

    /** Starts recording the snapshot of 'kind' at every DOM change, from now on. */
    watch(kind) {
      const snap = SNAPSHOTS[kind]
      bench.inputs = []
      const start = { at: performance.now(), snap: snap() }
      const w = { kind, records: [start], observer: null }
      w.observer = new MutationObserver(() => {
        const next = snap()
        if (next !== w.records[w.records.length - 1].snap) w.records.push({ at: performance.now(), snap: next })
      })
      w.observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
      bench.watch = w
      return start.snap
    },
    /**
     * Time since the last change of the watched snapshot or the last input (whichever is later),
     * how many changes so far, and the snapshot now.
     */
    watchState() {
      const w = bench.watch
      const last = w.records[w.records.length - 1]
      const lastInput = bench.inputs.length ? bench.inputs[bench.inputs.length - 1].at : 0
      return { quietMs: performance.now() - Math.max(last.at, lastInput), changes: w.records.length - 1, snap: last.snap }
    },
    /**
     * Stops the watch. The latency runs from the user's input (the first click, or the last key
     * press) to the DOM change after which the snapshot stayed what it finally was; the first
     * change of any kind is reported too (a "Calculating…" in between shows as an early change).
     */
    finishWatch(inputType) {
      const w = bench.watch
      w.observer.disconnect()
      bench.watch = null
      const inputs = bench.inputs.filter((i) => i.type === inputType)
      const input = inputType === 'click' ? inputs[0] : inputs[inputs.length - 1]
      const records = w.records
      const final = records[records.length - 1].snap
      let settled = records.length - 1
      while (settled > 0 && records[settled - 1].snap === final) settled--
      if (!input) return { error: 'no ' + inputType + ' event reached the page', final }
      if (settled === 0) return { error: 'the ' + w.kind + ' text never changed', final }
      if (records[settled].at < input.at) return { error: 'the final ' + w.kind + ' text was there before the ' + inputType, final }
      const firstChange = records.find((r, i) => i > 0 && r.at >= input.at)
      return {
        latencyMs: records[settled].at - input.at,
        firstChangeMs: firstChange ? firstChange.at - input.at : null,
        changes: records.length - 1,
        keys: inputs.length,
        final,
      }
    },

    /**
     * (a) and (b): scrolls the gallery's scroller down at pxPerSecond for durationMs, in steps of
     * the time since the last step (a slow frame means a longer step, as a fling keeps its pace),
     * while requestAnimationFrame records every frame's delta and a timer samples the number of
     * elements in the document. Whatever thumbnails come into view load meanwhile.
     */
    scroll({ pxPerSecond, durationMs, sampleEveryMs }) {
      const grid = galleryGrid()
      if (!grid) return Promise.resolve({ error: 'no grid in the Gallery region' })
      const scroller = scrollerOf(grid)
      let loaded = 0
      let failed = 0
      const onLoad = (event) => {
        if (event.target?.tagName === 'IMG' && grid.contains(event.target)) loaded++
      }
      const onError = (event) => {
        if (event.target?.tagName === 'IMG' && grid.contains(event.target)) failed++
      }
      document.addEventListener('load', onLoad, true)
      document.addEventListener('error', onError, true)
      const counts = [elementCount()]
      const deltas = []
      let maxRow = 0
      const noteRow = () => {
        for (const row of grid.querySelectorAll('[role="row"][aria-rowindex]')) maxRow = Math.max(maxRow, Number(row.getAttribute('aria-rowindex')))
      }
      return new Promise((resolve) => {
        const t0 = performance.now()
        let position = scroller.scrollTop
        let previous = t0
        const step = setInterval(() => {
          const now = performance.now()
          position = Math.min(position + (pxPerSecond * (now - previous)) / 1000, scroller.scrollHeight - scroller.clientHeight)
          previous = now
          scroller.scrollTop = position
        }, 16)
        const sampler = setInterval(() => {
          counts.push(elementCount())
          noteRow()
        }, sampleEveryMs)
        let lastFrame = null
        const frame = (t) => {
          if (lastFrame !== null) deltas.push(t - lastFrame)
          lastFrame = t
          if (t - t0 < durationMs) return void requestAnimationFrame(frame)
          clearInterval(step)
          clearInterval(sampler)
          counts.push(elementCount())
          noteRow()
          document.removeEventListener('load', onLoad, true)
          document.removeEventListener('error', onError, true)
          resolve({
            frameDeltas: deltas,
            elementCounts: counts,
            scrolledPx: scroller.scrollTop,
            maxRow,
            columns: Number(grid.getAttribute('aria-colcount')) || null,
            rowsAtEnd: Number(grid.getAttribute('aria-rowcount')) || null,
            thumbnailsLoaded: loaded,
            thumbnailsFailed: failed,
            pendingAtEnd: [...grid.querySelectorAll('img')].filter((img) => !img.complete).length,
          })
        }
        requestAnimationFrame(frame)
      })
    },
  }
})()`

/** An expression calling one of the page's bench functions with JSON arguments. */
export function call(fn: string, ...args: unknown[]): string {
  return `window.__bench.api.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`
}

/** An expression reading the first-thumbnail record (null until one has loaded). */
export const FIRST_THUMB = 'window.__bench ? window.__bench.firstThumb : null'
