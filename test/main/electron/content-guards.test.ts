import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { resolveAppLocation } from '../../../src/main/electron/app-location'
import { describeUrl, hardenSession, hardenWebContents, type GuardedContents, type GuardedSession } from '../../../src/main/electron/content-guards'
import { contentSecurityPolicy } from '../../../src/main/electron/csp'
import { createExternalLinkOpener } from '../../../src/main/electron/external-links'

// Electron cannot load under Node: these stand-ins record the handlers the guards install, and
// the tests call those handlers the way Electron would.
const app = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/opt/ps/out/renderer/index.html' })

class FakeContents extends EventEmitter {
  windowOpen: ((details: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpen = handler
  }
}

function guardedContents() {
  const contents = new FakeContents()
  const opened: string[] = []
  const logs: string[] = []
  const openExternal = createExternalLinkOpener({
    shell: { openExternal: async (url: string) => void opened.push(url) },
    log: (m) => logs.push(m),
  })
  hardenWebContents(contents as unknown as GuardedContents, { app, openExternal, log: (m) => logs.push(m) })
  return { contents, opened, logs }
}

function navigation(url: string) {
  const event = { url, prevented: false, preventDefault: () => void (event.prevented = true) }
  return event
}

describe('hardenWebContents', () => {
  it('denies every new window and opens only a checked https link in the OS browser', () => {
    const { contents, opened, logs } = guardedContents()
    expect(contents.windowOpen!({ url: 'https://platform.openai.com/docs/pricing' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://platform.openai.com/docs/pricing'])
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@example.com/', app.url]) {
      expect(contents.windowOpen!({ url }), url).toEqual({ action: 'deny' })
    }
    expect(opened).toHaveLength(1)
    expect(logs.filter((line) => line.startsWith('[window] denied opening a window'))).toHaveLength(5)
  })

  it('blocks navigation and redirects away from our page, in any frame, and logs them', () => {
    const { contents, logs } = guardedContents()
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/ps/out/renderer/other.html', 'data:text/html,x']) {
        const event = navigation(url)
        contents.emit(name, event)
        expect(event.prevented, `${name} ${url}`).toBe(true)
      }
      const own = navigation(`${app.url}#/queue`)
      contents.emit(name, own)
      expect(own.prevented, name).toBe(false)
    }
    expect(logs.filter((line) => line.startsWith('[window] blocked navigation'))).toHaveLength(12)
  })

  it('blocks webviews and Bluetooth device requests', () => {
    const { contents, logs } = guardedContents()
    const webview = navigation('')
    contents.emit('will-attach-webview', webview)
    expect(webview.prevented).toBe(true)
    const picked: string[] = []
    const bluetooth = navigation('')
    contents.emit('select-bluetooth-device', bluetooth, [{ deviceId: 'a1', deviceName: 'Keyboard' }], (id: string) => picked.push(id))
    expect(bluetooth.prevented).toBe(true)
    expect(picked).toEqual([''])
    expect(logs).toEqual(['[window] blocked a <webview>', '[window] refused a Bluetooth device request'])
  })
})

class FakeSession extends EventEmitter {
  request: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void) | null = null
  check: ((...args: unknown[]) => boolean) | null = null
  device: ((...args: unknown[]) => boolean) | null = null
  headers: ((details: unknown, callback: (response: unknown) => void) => void) | null = null
  webRequest = { onHeadersReceived: (handler: FakeSession['headers']) => void (this.headers = handler) }
  setPermissionRequestHandler(handler: FakeSession['request']) {
    this.request = handler
  }
  setPermissionCheckHandler(handler: FakeSession['check']) {
    this.check = handler
  }
  setDevicePermissionHandler(handler: FakeSession['device']) {
    this.device = handler
  }
}

function guardedSession() {
  const session = new FakeSession()
  const logs: string[] = []
  hardenSession(session as unknown as GuardedSession, contentSecurityPolicy(), (m) => logs.push(m))
  return { session, logs }
}

describe('hardenSession', () => {
  it('denies every permission request, and logs the permission and origin only', () => {
    const { session, logs } = guardedSession()
    const answers: boolean[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal', 'pointerLock', 'unknown']) {
      session.request!({ getURL: () => app.url }, permission, (granted) => answers.push(granted), { requestingUrl: 'https://evil.example/p?token=1' })
    }
    expect(answers).toEqual(Array(8).fill(false))
    expect(logs[0]).toBe('[session] denied the permission "media" asked by https://evil.example')
    expect(logs.join('\n')).not.toContain('token=1')
  })

  it('answers every permission and device check with no', () => {
    const { session } = guardedSession()
    for (const permission of ['media', 'clipboard-sanitized-write', 'hid', 'serial', 'usb', 'notifications']) {
      expect(session.check!(null, permission, app.url, {}), permission).toBe(false)
    }
    expect(session.device!({ deviceType: 'hid', origin: 'file://' })).toBe(false)
  })

  it('cancels HID, serial and USB device pickers', () => {
    const { session, logs } = guardedSession()
    const answers: unknown[] = []
    const hid = navigation('')
    session.emit('select-hid-device', hid, { deviceList: [{ deviceId: 'h' }] }, (id: unknown) => answers.push(id))
    const serial = navigation('')
    session.emit('select-serial-port', serial, [{ portId: 's' }], {}, (id: unknown) => answers.push(id))
    const usb = navigation('')
    session.emit('select-usb-device', usb, { deviceList: [{ deviceId: 'u' }] }, (id?: unknown) => answers.push(id))
    expect([hid.prevented, serial.prevented, usb.prevented]).toEqual([true, true, true])
    expect(answers).toEqual([null, '', undefined])
    expect(logs).toHaveLength(3)
  })

  it('puts our CSP on documents, replacing the server’s, and leaves other responses alone', () => {
    const { session } = guardedSession()
    const replies: unknown[] = []
    session.headers!({ resourceType: 'mainFrame', responseHeaders: { 'content-security-policy': ['default-src *'] } }, (r) => replies.push(r))
    session.headers!({ resourceType: 'subFrame', responseHeaders: {} }, (r) => replies.push(r))
    session.headers!({ resourceType: 'image', responseHeaders: {} }, (r) => replies.push(r))
    expect(replies).toEqual([
      { responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] } },
      { responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy()] } },
      {},
    ])
  })
})

describe('describeUrl', () => {
  it('gives the origin only, and never a file path', () => {
    expect(describeUrl('https://evil.example/a?token=x')).toBe('https://evil.example')
    expect(describeUrl('file:///home/me/secret.html')).toBe('a file: URL')
    expect(describeUrl('javascript:alert(document.cookie)')).toBe('a javascript: URL')
    expect(describeUrl('not a url')).toBe('an unparseable URL')
  })
})
