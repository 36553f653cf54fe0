/**
 * What any web content in this app may do, locked down once per webContents and once per
 * session: no navigation away from our page, no new windows (a link out goes to the OS browser
 * through external-links.ts, nowhere else), no webviews, no device pickers, no permissions, and
 * our CSP on every document. Electron objects are passed in, so the guards run and are tested
 * under plain Node with stand-ins. Do not add an exception here to make a feature work.
 */
import type { Session, WebContents } from 'electron'
import { isAppUrl, type AppLocation } from './app-location'
import { withContentSecurityPolicy } from './csp'
import type { OpenExternalLink } from './external-links'

export type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>
export type GuardedSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on' | 'webRequest'
>

/** For every webContents the app creates (wired through app's `web-contents-created`). */
export function hardenWebContents(
  contents: GuardedContents,
  opts: { app: AppLocation; openExternal: OpenExternalLink; log?: (message: string) => void },
): void {
  const log = opts.log ?? ((message: string) => console.warn(message))
  contents.setWindowOpenHandler(({ url }) => {
    // Never a second Electron window; a link that passes the check opens in the OS browser.
    if (!opts.openExternal(url)) log(`[window] denied opening a window for ${describeUrl(url)}`)
    return { action: 'deny' }
  })
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url, opts.app)) return
    event.preventDefault()
    log(`[window] blocked navigation to ${describeUrl(event.url)}`)
  }
  contents.on('will-navigate', guard)
  contents.on('will-frame-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log('[window] blocked a <webview>')
  })
  // Unhandled, Electron would pick the first Bluetooth device on its own; an empty id cancels.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault()
    callback('')
    log('[window] refused a Bluetooth device request')
  })
}

/** Once per session: deny every permission and device, and put our CSP on every document. */
export function hardenSession(session: GuardedSession, csp: string, log: (message: string) => void = (m) => console.warn(m)): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    log(`[session] denied the permission "${permission}" asked by ${describeUrl(details.requestingUrl ?? contents?.getURL() ?? '')}`)
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault()
    callback(null)
    log('[session] refused a HID device request')
  })
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault()
    callback('')
    log('[session] refused a serial port request')
  })
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault()
    callback()
    log('[session] refused a USB device request')
  })
  session.webRequest.onHeadersReceived((details, callback) => {
    // The policy only means something on documents; every document here should be ours anyway.
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') {
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) })
    } else {
      callback({})
    }
  })
}

/** For logs: the origin, not the full URL, which might carry something private. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' ? 'a file: URL' : parsed.origin === 'null' ? `a ${parsed.protocol} URL` : parsed.origin
  } catch {
    return 'an unparseable URL'
  }
}
