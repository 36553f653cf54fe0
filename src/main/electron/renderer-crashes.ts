/**
 * What to do when the window's renderer process dies (`render-process-gone`): reload it and tell
 * the user once the page is back (the engine and its queue live in main and keep running), unless
 * it keeps dying: after `limit` crashes within `windowMs` we stop reloading and show a page that
 * says so, since a page that crashes on load would otherwise spin forever. Decisions only; the
 * Electron wiring is in index.ts.
 */

/** Electron's RenderProcessGoneDetails['reason']; 'clean-exit' is not a crash (the window closed). */
export type RendererGoneReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction'

export type RendererCrashVerdict =
  | { readonly action: 'ignore' }
  | { readonly action: 'reload'; readonly notice: string }
  | { readonly action: 'give-up'; readonly page: string }

export interface RendererCrashGuardOptions {
  readonly now: () => number
  /** Crashes within the window that stop the reloading (default 3). */
  readonly limit?: number
  readonly windowMs?: number
  /** Shown on the give-up page, so the user can find what went wrong. */
  readonly logFolder: string
}

export const DEFAULT_CRASH_LIMIT = 3
export const DEFAULT_CRASH_WINDOW_MS = 60_000

const REASON_WORDS: Record<RendererGoneReason, string> = {
  'clean-exit': 'closed',
  'abnormal-exit': 'stopped unexpectedly',
  killed: 'was ended by the system',
  crashed: 'crashed',
  oom: 'ran out of memory',
  'launch-failed': 'could not start',
  'integrity-failure': 'failed an integrity check',
  'memory-eviction': 'was evicted to free memory',
}

export interface RendererCrashGuard {
  onGone(reason: string): RendererCrashVerdict
}

export function createRendererCrashGuard(options: RendererCrashGuardOptions): RendererCrashGuard {
  const limit = options.limit ?? DEFAULT_CRASH_LIMIT
  const windowMs = options.windowMs ?? DEFAULT_CRASH_WINDOW_MS
  const crashes: number[] = []
  return {
    onGone(reason) {
      if (reason === 'clean-exit') return { action: 'ignore' }
      const now = options.now()
      crashes.push(now)
      while (crashes.length > 0 && now - crashes[0]! >= windowMs) crashes.shift()
      const words = REASON_WORDS[reason as RendererGoneReason] ?? `stopped (${reason})`
      if (crashes.length >= limit) return { action: 'give-up', page: crashLoopPage(crashes.length, windowMs, options.logFolder) }
      return {
        action: 'reload',
        notice: `The window ${words} and was reloaded. Queued work kept running; nothing was lost.`,
      }
    },
  }
}

/** A self-contained page (no script, no outside resource) for a data: URL. */
export function crashLoopPage(count: number, windowMs: number, logFolder: string): string {
  const seconds = Math.round(windowMs / 1000)
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Proofsheet stopped reloading</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{word-break:break-all}</style></head>
<body><main><h1>Proofsheet stopped reloading its window</h1>
<p>The window crashed ${count} times within ${seconds} seconds, so it is not reloaded again. Queued work keeps running in the background.</p>
<p>Quit Proofsheet and open it again. If this happens again, report the problem and attach the log files from <code>${escapeHtml(logFolder)}</code> (Help, Reveal Logs).</p>
</main></body></html>`
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
