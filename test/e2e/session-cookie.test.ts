import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Cookie, Page } from 'playwright-core'
import { callBridge, openApp, startBrowserMode, type BrowserMode } from './browser-mode'

// Browser mode's session against the other servers a developer runs on 127.0.0.1. Cookies ignore
// ports, so a session cookie for 127.0.0.1 would travel to all of them, and any of their pages
// may set a cookie of the same name. Here real Chromium signs in, then visits a second local
// server that records every Cookie header it receives and whose page sets cookies of its own.

let mode: BrowserMode
let page: Page
let other: Server
let otherOrigin = ''
/** Every Cookie header the other server was sent. */
const received: string[] = []

/**
 * The other server. `/by-header?name=N` sets cookies named N (and the old `ps_token`) with
 * Set-Cookie; `/by-script?name=N` sets them from its page's script, plus enough large cookies to
 * push the Cookie header past Node's usual 16 KB limit. Both are wide enough to reach every path
 * of every port.
 */
function otherServer(): Server {
  return createServer((req, res) => {
    received.push(req.headers.cookie ?? '')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const name = url.searchParams.get('name') ?? 'ps_token'
    if (url.pathname === '/by-header') {
      res.writeHead(200, {
        'Content-Type': 'text/html',
        'Set-Cookie': [`${name}=from-header; Path=/`, `${name}=from-header-s; Path=/s`, 'ps_token=from-header; Path=/'],
      })
      res.end('<!doctype html><title>cookies set</title>')
      return
    }
    if (url.pathname === '/by-script') {
      const script = [
        `document.cookie = ${JSON.stringify(`${name}=from-script; path=/`)}`,
        `document.cookie = ${JSON.stringify(`${name}=from-script-s; path=/s`)}`,
        `for (let i = 0; i < 30; i++) document.cookie = 'flood' + i + '=' + 'x'.repeat(4000) + '; path=/'`,
        `document.title = 'cookies set'`,
      ].join(';\n')
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end(`<!doctype html><title>setting</title><script>${script}</script>`)
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/html' })
    res.end('<!doctype html><title>another local server</title><p>hello</p>')
  })
}

beforeAll(async () => {
  mode = await startBrowserMode()
  page = mode.page
  other = otherServer()
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
})

afterAll(async () => {
  await mode?.close()
  await new Promise((resolve) => other?.close(resolve))
})

/** The cookies the bridge set in this browser (none of the other server's yet). */
async function bridgeCookies(): Promise<Cookie[]> {
  return (await mode.context.cookies()).filter((c) => c.domain === '127.0.0.1')
}

describe('browser mode: the session cookie and other servers on 127.0.0.1', () => {
  let ours: Cookie[] = []

  it('sends the session cookie to no other local server the browser visits', async () => {
    await openApp(mode)
    ours = await bridgeCookies()
    expect(ours.length).toBeGreaterThan(0)
    for (const path of ['/', '/s/', '/api/call', '/media/images/x.png']) await page.goto(`${otherOrigin}${path}`)
    expect(received.length).toBeGreaterThanOrEqual(4)
    const token = new URL(mode.appUrl).searchParams.get('token')!
    for (const header of received) {
      expect(header).not.toContain(token)
      for (const cookie of ours) expect(header).not.toContain(cookie.value)
    }
  })

  it.each([
    ['Set-Cookie', '/by-header', ['from-header', 'from-header-s']],
    ['document.cookie', '/by-script', ['from-script', 'from-script-s']],
  ])('stays signed in when a page on another port sets cookies of the same name (%s)', async (_how, path, values) => {
    // The worst case: the other page somehow knows the cookie's name.
    const name = ours[0]!.name
    await page.goto(`${otherOrigin}${path}?name=${encodeURIComponent(name)}`)
    await expect.poll(() => page.title()).toBe('cookies set')
    const shadows = (await mode.context.cookies()).filter((c) => c.name === name && c.value !== ours[0]!.value)
    expect(shadows.map((c) => c.value)).toEqual(expect.arrayContaining(values.slice(1)))

    await openApp(mode)
    await page.getByRole('region', { name: 'Gallery' }).waitFor()
    expect(await page.getByRole('heading', { name: /Open Proofsheet from the address/ }).count()).toBe(0)
    expect(await callBridge(page, 'providers.list', {})).toMatchObject({ ok: true })
    expect(await callBridge(page, 'queue.state', {})).toMatchObject({ ok: true })
  })

  it('the flood of large cookies from the other page was really sent along', async () => {
    expect((await mode.context.cookies()).filter((c) => c.name.startsWith('flood'))).toHaveLength(30)
  })

  it('refuses the printed address a second time, here or in another browser, with a page saying what to do', async () => {
    const again = await page.goto(mode.appUrl)
    expect(again?.status()).toBe(410)
    const text = (await page.locator('body').textContent()) ?? ''
    expect(text).toContain('already used')
    expect(text).toContain('start it again')

    // Someone who found the address later (history, a copied link) in a browser of their own.
    const stranger = await mode.browser.newContext()
    try {
      const strangerPage = await stranger.newPage()
      expect((await strangerPage.goto(mode.appUrl))?.status()).toBe(410)
      expect(await stranger.cookies()).toEqual([])
    } finally {
      await stranger.close()
    }

    // The browser that signed in keeps working at the app's own address.
    await openApp(mode)
    expect(await callBridge(page, 'providers.list', {})).toMatchObject({ ok: true })
  })
})
