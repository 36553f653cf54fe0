/**
 * Creates the Proofsheet window with the options of window-options.ts. This is the only file that
 * constructs a BrowserWindow; what its content may do is locked down in content-guards.ts.
 */
import { BrowserWindow } from 'electron'
import type { AppLocation } from './app-location'
import { describeUrl } from './content-guards'
import { buildWindowOptions } from './window-options'

export function createMainWindow(opts: {
  app: AppLocation
  preloadPath: string
  iconPath?: string
  log?: typeof console.warn
}): BrowserWindow {
  const log = opts.log ?? console.warn
  const win = new BrowserWindow(buildWindowOptions(opts.preloadPath, opts.iconPath))
  win.once('ready-to-show', () => win.show())
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (!isMainFrame) return
    log(`[window] failed to load ${describeUrl(url)}: ${description} (${code})`)
    // Show the window anyway: an empty window with a log line beats an invisible running app.
    if (!win.isDestroyed() && !win.isVisible()) win.show()
  })
  win.webContents.on('render-process-gone', (_event, details) => {
    log(`[window] renderer gone: ${details.reason} (exit ${details.exitCode})`)
  })
  win.loadURL(opts.app.url).catch((err: unknown) => {
    log(`[window] loadURL failed: ${err instanceof Error ? err.message : String(err)}`)
  })
  return win
}
