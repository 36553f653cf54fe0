/**
 * Creates the Proofsheet window and locks down what any web content in this app may do:
 * no navigation away from our page, no new windows, no webviews, no permissions, and our CSP on
 * every document. This is the only file that constructs a BrowserWindow.
 */
import { BrowserWindow, type Session, type WebContents } from 'electron'
import { isAppUrl, type AppLocation } from './app-location'
import { withContentSecurityPolicy } from './csp'
import { buildWindowOptions } from './window-options'

/** For every webContents the app creates (wired through app's `web-contents-created`). */
export function hardenWebContents(contents: WebContents, app: AppLocation, log = console.warn): void {
  contents.setWindowOpenHandler(({ url }) => {
    log(`[window] denied opening a window for ${describe(url)}`)
    return { action: 'deny' }
  })
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url, app)) return
    event.preventDefault()
    log(`[window] blocked navigation to ${describe(event.url)}`)
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log('[window] blocked a <webview>')
  })
}

/** Once per session: deny every permission and put our CSP on every document response. */
export function hardenSession(session: Session, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    // The policy only means something on documents; every document here should be ours anyway.
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') {
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) })
    } else {
      callback({})
    }
  })
}

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
    log(`[window] failed to load ${describe(url)}: ${description} (${code})`)
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

function describe(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' ? 'a file: URL' : parsed.origin
  } catch {
    return 'an unparseable URL'
  }
}
