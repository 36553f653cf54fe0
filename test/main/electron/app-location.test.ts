import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isAppUrl, resolveAppLocation } from '../../../src/main/electron/app-location'

const indexHtmlPath = '/opt/Proofsheet/resources/app.asar/out/renderer/index.html'

describe('resolveAppLocation', () => {
  it('uses the dev server only when unpackaged and on loopback', () => {
    expect(resolveAppLocation({ devServerUrl: 'http://localhost:5173', isPackaged: false, indexHtmlPath })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    })
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    const location = resolveAppLocation({ devServerUrl: 'http://localhost:5173', isPackaged: true, indexHtmlPath })
    expect(location.kind).toBe('file')
  })

  it('ignores a dev server URL that is not loopback http(s)', () => {
    for (const devServerUrl of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(resolveAppLocation({ devServerUrl, isPackaged: false, indexHtmlPath }).kind).toBe('file')
    }
  })

  it('loads the built index.html as a file URL', () => {
    const location = resolveAppLocation({ devServerUrl: undefined, isPackaged: false, indexHtmlPath })
    expect(location).toEqual({ kind: 'file', url: pathToFileURL(indexHtmlPath).href, path: indexHtmlPath })
  })
})

describe('isAppUrl', () => {
  const file = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath })
  const dev = resolveAppLocation({ devServerUrl: 'http://localhost:5173', isPackaged: false, indexHtmlPath })

  it('accepts our index.html, with or without a hash route', () => {
    expect(isAppUrl(file.url, file)).toBe(true)
    expect(isAppUrl(`${file.url}#/gallery`, file)).toBe(true)
  })

  it('compares file paths decoded, as Chromium and Node encode them differently', () => {
    const spaced = resolveAppLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: '/Users/a b/[x]/index.html' })
    expect(isAppUrl('file:///Users/a%20b/[x]/index.html', spaced)).toBe(true)
  })

  it('refuses any other file, even next to ours', () => {
    expect(isAppUrl('file:///etc/passwd', file)).toBe(false)
    expect(isAppUrl(file.url.replace('index.html', 'other.html'), file)).toBe(false)
    expect(isAppUrl(file.url.replace('file://', 'file://remote-host'), file)).toBe(false)
  })

  it('accepts only the dev server origin in dev', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false)
    expect(isAppUrl(file.url, dev)).toBe(false)
  })

  it('refuses garbage', () => {
    expect(isAppUrl('', file)).toBe(false)
    expect(isAppUrl('about:blank', file)).toBe(false)
    expect(isAppUrl('::::', dev)).toBe(false)
  })
})
