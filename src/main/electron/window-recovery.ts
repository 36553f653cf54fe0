/**
 * Keeps the window usable when its renderer dies: the guard (renderer-crashes.ts) decides, this
 * file acts on the window's webContents (reload, or the give-up page) and delivers notices (the
 * crash just recovered from, or last run's crash note) once the app page has loaded again.
 * Takes the few webContents methods it uses, so tests drive it with a stand-in.
 */
import type { AppCommand } from '../../shared/api/desktop'
import type { RendererCrashGuard } from './renderer-crashes'

export interface RecoverableContents {
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown
  on(event: 'did-finish-load', listener: () => void): unknown
  isDestroyed(): boolean
  reload(): void
  loadURL(url: string): Promise<void>
}

export interface WindowRecoveryDeps {
  readonly guard: RendererCrashGuard
  /** Sends to the window if it shows our page (app-commands.ts); false when it did not. */
  readonly send: (command: AppCommand) => boolean
  readonly log: (...args: unknown[]) => void
  /** Shown after the first load, e.g. last run's crash note. */
  readonly initialNotices?: readonly string[]
}

export function watchRenderer(contents: RecoverableContents, deps: WindowRecoveryDeps): void {
  const pending = [...(deps.initialNotices ?? [])]
  contents.on('did-finish-load', () => {
    // A notice stays pending until a page of ours took it (the give-up page is not ours).
    while (pending.length > 0 && deps.send({ kind: 'notice', text: pending[0]! })) pending.shift()
  })
  contents.on('render-process-gone', (_event, details) => {
    const verdict = deps.guard.onGone(details.reason)
    deps.log(`[window] renderer gone: ${details.reason} (exit ${details.exitCode}); ${verdict.action}`)
    if (contents.isDestroyed()) return
    if (verdict.action === 'reload') {
      pending.push(verdict.notice)
      contents.reload()
    } else if (verdict.action === 'give-up') {
      contents.loadURL(verdict.page).catch((err: unknown) => deps.log('[window] could not show the crash page:', err))
    }
  })
}
