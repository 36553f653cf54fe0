import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EventMessage, Result, Router } from '../../src/shared/api'
import { MAX_BODY_BYTES, startBridge, type Bridge } from '../../src/web/bridge-server'
import { OUTSIDE_SECRET, plantEscapes, traversalAttempts } from './traversal-attempts'

// The bridge is tested over real HTTP on 127.0.0.1 against a fake Router (the engine has its own
// tests) and a real library folder and static folder in a temp dir.

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef'
const SECRET = 'TOP-SECRET-CONTENTS'
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

class FakeRouter implements Router {
  calls: Array<{ name: unknown; input: unknown }> = []
  listeners = new Set<(message: EventMessage) => void>()

  async handle(name: unknown, input: unknown): Promise<Result<unknown>> {
    this.calls.push({ name, input })
    if (name === 'providers.list') return { ok: true, value: { providers: [] } }
    if (name === 'queue.state') {
      const counts = { queued: 0, running: 1, succeeded: 0, failed: 0, canceled: 0, interrupted: 0 }
      return { ok: true, value: { paused: false, counts } }
    }
    return { ok: false, error: { code: 'bad_input', message: `unknown call ${String(name)}`, field: 'name' } }
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(message: EventMessage): void {
    for (const listener of this.listeners) listener(message)
  }
}

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

let root: string
let outsideSecret: string
let router: FakeRouter
let bridge: Bridge
/** The reply to opening the printed address (once, in beforeAll: it works only once). */
let signIn: Reply
/** `name=value` of the session cookie that sign-in set, as a browser would send it back. */
let sessionCookie = ''
/** The app's own path that sign-in moved to, without the trailing slash (`/s/<id>`). */
let app = ''

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; auth?: boolean } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${bridge.port}`, ...options.headers }
  if (options.auth !== false && !('Cookie' in headers) && !('Authorization' in headers)) headers.Authorization = `Bearer ${TOKEN}`
  return new Promise((resolve, reject) => {
    // node:http sends the path exactly as given, so traversal attempts reach the server unaltered.
    const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

function call(body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send('/api/call', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'proofsheet-bridge-'))
  const home = join(root, 'home')
  const site = join(root, 'site')
  await mkdir(join(home, 'images'), { recursive: true })
  await mkdir(join(site, 'assets'), { recursive: true })
  await writeFile(join(home, 'images', 'a.png'), PNG_BYTES)
  await writeFile(join(home, 'library.sqlite'), SECRET)
  await writeFile(join(root, 'secret.txt'), SECRET)
  await writeFile(join(site, 'index.html'), '<!doctype html><title>Proofsheet</title><div id="root"></div>')
  await writeFile(join(site, 'assets', 'app.js'), 'console.log("app")')
  await symlink(join(root, 'secret.txt'), join(site, 'assets', 'leak.txt'))
  await symlink(join(root, 'secret.txt'), join(home, 'images', 'leak.png'))
  outsideSecret = await plantEscapes(root, home)
  router = new FakeRouter()
  bridge = await startBridge({ router, home, staticDir: site, port: 0, token: TOKEN })
  signIn = await send(`/?token=${TOKEN}`, { auth: false })
  sessionCookie = (signIn.headers['set-cookie']?.[0] ?? '').split(';')[0]!
  app = (signIn.headers.location ?? '').replace(/\/$/, '')
})

afterAll(async () => {
  await bridge.close()
  await rm(root, { recursive: true, force: true })
})

describe('browser bridge', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${TOKEN}`)
  })

  it('generates a fresh 32-byte token when none is given', async () => {
    const other = await startBridge({ router, home: join(root, 'home'), staticDir: join(root, 'site') })
    try {
      expect(other.token).toMatch(/^[0-9a-f]{64}$/)
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${other.token}`)
      // Two requests racing with the same address: one session, one refusal.
      const open = (): Promise<number> =>
        fetch(`${other.url}`, { redirect: 'manual' }).then(async (r) => (await r.arrayBuffer(), r.status))
      expect((await Promise.all([open(), open()])).sort()).toEqual([303, 410])
    } finally {
      await other.close()
    }
  })

  it('swaps the token in the URL for a session cookie of its own, scoped to the app\'s random path', () => {
    expect(signIn.status).toBe(303)
    expect(signIn.headers.location).toMatch(/^\/s\/[0-9a-f]{24}\/$/)
    const cookie = signIn.headers['set-cookie']?.[0] ?? ''
    // A random name and value: the printed token never becomes the cookie.
    expect(cookie).toMatch(/^ps_session_[0-9a-f]{16}=[0-9a-f]{64}; /)
    expect(cookie).not.toContain(TOKEN)
    // Scoped to the app's path, so the browser sends it to no other port's pages.
    expect(cookie).toContain(`; Path=${app};`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
  })

  it('refuses the printed address a second time with a page saying how to get a new one', async () => {
    const again = await send(`/?token=${TOKEN}`, { auth: false })
    expect(again.status).toBe(410)
    expect(again.headers['set-cookie']).toBeUndefined()
    expect(again.headers['content-type']).toContain('text/html')
    expect(again.body).toContain('already used')
    expect(again.body).toContain('start it again')
    expect(again.body).not.toContain(app)
    // Under another spelling of the same host, too.
    expect((await send(`/?token=${TOKEN}`, { auth: false, headers: { Host: `localhost:${bridge.port}` } })).status).toBe(410)
    // The browser signed in keeps its session; scripts keep the Bearer token.
    expect((await send(`${app}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: sessionCookie }, body: '{"name":"providers.list"}' })).status).toBe(200)
    expect((await call({ name: 'providers.list', input: {} })).status).toBe(200)
  })

  it('takes the session only from its own cookie: not the printed token as a cookie, not a wrong value', async () => {
    const [name, secret] = sessionCookie.split('=') as [string, string]
    const before = router.calls.length
    for (const cookie of [`ps_token=${TOKEN}`, `${name}=${TOKEN}`, `${name}=${secret}x`, `${name}=`, `ps_session_0000000000000000=${secret}`]) {
      const reply = await send(`${app}/api/call`, { method: 'POST', auth: false, headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{"name":"providers.list"}' })
      expect(reply.status, cookie).toBe(401)
    }
    expect(router.calls.length).toBe(before)
  })

  it('keeps the session when other cookies of the same name arrive beside it (set by another port)', async () => {
    const [name] = sessionCookie.split('=') as [string, string]
    for (const cookie of [`${name}=junk; ${sessionCookie}`, `${sessionCookie}; ${name}=junk`, `${name}=; ps_token=x; ${sessionCookie}; ${name}=${TOKEN}`]) {
      const reply = await send(`${app}/api/call`, { method: 'POST', auth: false, headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{"name":"providers.list"}' })
      expect(reply.status, cookie).toBe(200)
    }
  })

  it('keeps answering when other ports have filled the cookie jar (a Cookie header far over 16 KB)', async () => {
    const junk = Array.from({ length: 60 }, (_, i) => `junk${i}=${'x'.repeat(4000)}`).join('; ')
    const reply = await send(`${app}/api/call`, { method: 'POST', auth: false, headers: { 'Content-Type': 'application/json', Cookie: `${junk}; ${sessionCookie}` }, body: '{"name":"providers.list"}' })
    expect(reply.status).toBe(200)
  })

  it('refuses API, event and media requests without the right token', async () => {
    const before = router.calls.length
    const bodies = [
      await call({ name: 'providers.list', input: {} }, { Authorization: '' }),
      await send('/api/call', {
        method: 'POST',
        auth: false,
        headers: { 'Content-Type': 'application/json' },
        body: '{"name":"providers.list","input":{}}',
      }),
      await call({ name: 'providers.list', input: {} }, { Authorization: 'Bearer wrong-token' }),
      await call({ name: 'providers.list', input: {} }, { Cookie: 'ps_token=wrong-token' }),
      await send('/api/events', { auth: false }),
      await send('/media/images/a.png', { auth: false }),
      await send('/?token=wrong-token', { auth: false }),
    ]
    for (const reply of bodies) {
      expect(reply.status).toBe(401)
      expect(reply.headers['content-type']).toContain('application/json')
      const body = JSON.parse(reply.body) as Result<unknown>
      expect(body.ok).toBe(false)
      if (!body.ok) expect(body.error.fix).toContain('npm run web')
    }
    expect(router.calls.length).toBe(before)
  })

  it('relays a call to the router and its Result back, with cookie or bearer token', async () => {
    const byBearer = await call({ name: 'providers.list', input: {} })
    expect(byBearer.status).toBe(200)
    expect(JSON.parse(byBearer.body)).toEqual({ ok: true, value: { providers: [] } })

    const byCookie = await send(`${app}/api/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `other=1; ${sessionCookie}` },
      body: '{"name":"providers.list","input":{}}',
    })
    expect(byCookie.status).toBe(200)
    expect(router.calls.at(-1)).toEqual({ name: 'providers.list', input: {} })

    // The router's own refusals travel as a 200 with ok:false: the HTTP layer worked.
    const unknown = await call({ name: 'nope.nothing', input: { a: 1 } })
    expect(unknown.status).toBe(200)
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'name' } })
  })

  it('refuses a wrong Host header even with a valid token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${bridge.port}`, `127.0.0.1:${bridge.port + 1}`, '127.0.0.1']) {
      const reply = await call({ name: 'providers.list', input: {} }, { Host: host })
      expect(reply.status).toBe(403)
      const page = await send('/', { headers: { Host: host } })
      expect(page.status).toBe(403)
    }
    const viaLocalhost = await call({ name: 'providers.list', input: {} }, { Host: `localhost:${bridge.port}` })
    expect(viaLocalhost.status).toBe(200)
  })

  it('refuses a foreign Origin and requests made by other pages', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${bridge.port + 1}`, 'null', `https://127.0.0.1:${bridge.port}`]) {
      const reply = await call({ name: 'providers.list', input: {} }, { Origin: origin })
      expect(reply.status).toBe(403)
    }
    for (const site of ['cross-site', 'same-site']) {
      const reply = await call({ name: 'providers.list', input: {} }, { 'Sec-Fetch-Site': site })
      expect(reply.status).toBe(403)
      expect((await send('/media/images/a.png', { headers: { 'Sec-Fetch-Site': site } })).status).toBe(403)
    }
    const sameOrigin = await call({ name: 'providers.list', input: {} }, { 'Sec-Fetch-Site': 'same-origin' })
    expect(sameOrigin.status).toBe(200)
    const ours = await call({ name: 'providers.list', input: {} }, { Origin: `http://localhost:${bridge.port}` })
    expect(ours.status).toBe(200)
  })

  it('accepts only JSON bodies up to the size a 50 MB reference image needs, and no more', async () => {
    const notJson = await send('/api/call', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })
    expect(notJson.status).toBe(415)
    const broken = await send('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":' })
    expect(broken.status).toBe(400)
    const nameless = await call({ input: {} })
    expect(nameless.status).toBe(400)
    const before = router.calls.length
    const big = JSON.stringify({ name: 'providers.list', input: { blob: 'x'.repeat(MAX_BODY_BYTES + 10) } })
    const oversized = await send('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big })
    expect(oversized.status).toBe(413)
    expect(JSON.parse(oversized.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect(router.calls.length).toBe(before)
    // Without a Content-Length the cap is enforced while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: bridge.port,
          path: '/api/call',
          method: 'POST',
          headers: {
            Host: `127.0.0.1:${bridge.port}`,
            Authorization: `Bearer ${TOKEN}`,
            'Content-Type': 'application/json',
            'Transfer-Encoding': 'chunked',
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      const piece = 'x'.repeat(64 * 1024)
      let written = 0
      const pump = (): void => {
        while (written < MAX_BODY_BYTES + piece.length * 2) {
          written += piece.length
          if (!req.write(piece)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect(chunked).toBe(413)
    expect(router.calls.length).toBe(before)

    const wrongMethod = await send('/api/call')
    expect(wrongMethod.status).toBe(405)
  })

  describe('calls too big in shape: refused while the body arrives, before it is parsed', () => {
    /** Opens a call, writes `head`, and resolves with the reply without ever ending the body. */
    const replyToUnfinished = (head: string): Promise<Reply> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: bridge.port,
            path: '/api/call',
            method: 'POST',
            headers: { Host: `127.0.0.1:${bridge.port}`, Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
              req.destroy()
            })
          },
        )
        req.on('error', reject)
        req.write(head)
      })
    const manyKeys = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}":"v"`).join(',')
    const manyItems = (n: number) => Array.from({ length: n }, () => '"x"').join(',')

    it('refuses a million keys before the body is even complete, and the router never sees it', async () => {
      const before = router.calls.length
      // 20,000 keys of a body that would go on to a million: the rest is never sent.
      const reply = await replyToUnfinished(`{"name":"workspace.save","input":{"draft":{"templateValues":{${manyKeys(20_000)},`)
      expect(reply.status).toBe(413)
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'input', message: expect.stringMatching(/more than 10,000 named fields/) } })
      expect(router.calls.length).toBe(before)
      expect((await call({ name: 'providers.list', input: {} })).status).toBe(200)
    }, 20_000)

    it('refuses a body of a million keys whole, without parsing it (its broken end is never reached)', async () => {
      const before = router.calls.length
      const body = `{"name":"workspace.save","input":{"templateValues":{${manyKeys(1_000_000)}, this is not JSON`
      const reply = await send('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      expect(reply.status).toBe(413)
      expect(JSON.parse(reply.body)).toMatchObject({ error: { field: 'input', message: expect.stringMatching(/named fields/) } })
      expect(router.calls.length).toBe(before)
    }, 30_000)

    it('refuses more list items than the largest selection, and takes a selection of 100,000', async () => {
      const before = router.calls.length
      const reply = await replyToUnfinished(`{"name":"gallery.delete","input":{"ids":[${manyItems(250_000)},`)
      expect(reply.status).toBe(413)
      expect(JSON.parse(reply.body)).toMatchObject({ error: { field: 'input', message: expect.stringMatching(/more than 200,000 list items/) } })
      expect(router.calls.length).toBe(before)
      // Within the caps, keys and items in strings do not count, nested lists do.
      const fine = `{"name":"gallery.delete","input":{"ids":[${manyItems(100_000)}],"note":"a:b,c:[d,e]{","more":[[1,2],[],[{"a":1}]]}}`
      expect((await send('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: fine })).status).toBe(200)
      expect(router.calls.length).toBe(before + 1)
    }, 20_000)
  })

  it('serves library images with their type and nosniff', async () => {
    const reply = await send('/media/images/a.png')
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('image/png')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(Buffer.from(reply.body, 'utf8').length).toBeGreaterThan(0)
    expect((await send('/media/images/missing.png')).status).toBe(404)
  })

  it('never serves a file outside the library media folders', async () => {
    const attempts = [
      '/media/../secret.txt',
      '/media/images/../../secret.txt',
      '/media/images/..%2f..%2fsecret.txt',
      '/media/%2e%2e/%2e%2e/secret.txt',
      '/media/images/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/media/images/..%5c..%5csecret.txt',
      '/media/library.sqlite',
      '/media/images/leak.png',
      '/media/%2fetc%2fpasswd',
      '/media/images/a.png%00.txt',
    ]
    for (const path of attempts) {
      const reply = await send(path)
      expect(reply.status, path).toBe(404)
      expect(reply.body).not.toContain(SECRET)
    }
  })

  it('refuses every traversal, encoding trick and symlink escape in the shared list', async () => {
    for (const attempt of traversalAttempts(outsideSecret)) {
      const reply = await send(`/media/${attempt}`)
      expect(reply.status, attempt).toBe(404)
      expect(reply.body, attempt).not.toContain(OUTSIDE_SECRET)
    }
  })

  describe('the guard, on the API, event and media routes alike', () => {
    const routes = [
      { path: '/api/call', method: 'POST', body: '{"name":"providers.list","input":{}}' },
      { path: '/api/events', method: 'GET' },
      { path: '/media/images/a.png', method: 'GET' },
      { path: '/media/images/a.png', method: 'HEAD' },
    ]
    const tokens = (): Array<Record<string, string>> => [{ Authorization: `Bearer ${TOKEN}` }, { Cookie: sessionCookie }]
    // Each route answers at the root (scripts, with the Bearer token) and under the app's path (the page).
    const request = (route: (typeof routes)[number], headers: Record<string, string>, auth = true, query = '', under = '') =>
      send(`${under}${route.path}${query}`, {
        method: route.method,
        auth,
        headers: { 'Content-Type': 'application/json', ...headers },
        ...(route.body ? { body: route.body } : {}),
      })

    it('refuses a missing or wrong token, by cookie or Bearer, with 401', async () => {
      const before = router.calls.length
      const wrong: Array<[string, Record<string, string>, string?]> = [
        ['no token', {}],
        ['empty Bearer', { Authorization: 'Bearer ' }],
        ['wrong Bearer', { Authorization: 'Bearer wrong-token' }],
        ['Bearer with the token plus one character', { Authorization: `Bearer ${TOKEN}x` }],
        ['Bearer with the token less one character', { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
        ['Basic instead of Bearer', { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
        ['the token without a scheme', { Authorization: TOKEN }],
        ['wrong cookie', { Cookie: 'ps_token=wrong-token' }],
        ['empty cookie', { Cookie: 'ps_token=' }],
        ['the token under another cookie name', { Cookie: `token=${TOKEN}; xps_token=${TOKEN}` }],
        ['the token in the query string', {}, `?token=${TOKEN}`],
        ['the token in a custom header', { 'X-Token': TOKEN }],
      ]
      for (const route of routes) {
        for (const [what, headers, query] of wrong) {
          for (const under of ['', app]) {
            const reply = await request(route, headers, false, query, under)
            expect(reply.status, `${route.method} ${under}${route.path}: ${what}`).toBe(401)
            expect(reply.body).not.toContain(SECRET)
          }
        }
      }
      expect(router.calls.length).toBe(before)
    })

    it('refuses a foreign Origin or a request from another page, even with the right token, with 403', async () => {
      const before = router.calls.length
      const foreign: Array<Record<string, string>> = [
        { Origin: 'http://evil.example' },
        { Origin: `http://127.0.0.1:${bridge.port + 1}` },
        { Origin: `http://127.0.0.1.evil.example:${bridge.port}` },
        { Origin: 'null' },
        { Origin: `https://127.0.0.1:${bridge.port}` },
        { Origin: `http://[::1]:${bridge.port}` },
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site' },
      ]
      for (const route of routes) {
        for (const headers of foreign) {
          for (const token of tokens()) {
            const reply = await request(route, { ...headers, ...token }, true, '', app)
            expect(reply.status, `${route.method} ${route.path}: ${JSON.stringify(headers)}`).toBe(403)
          }
        }
      }
      expect(router.calls.length).toBe(before)
    })

    it('refuses a foreign Host header, even with the right token, with 403 (DNS rebinding)', async () => {
      const before = router.calls.length
      const hosts = [
        'evil.example',
        `evil.example:${bridge.port}`,
        `127.0.0.1.evil.example:${bridge.port}`,
        `127.0.0.1:${bridge.port + 1}`,
        '127.0.0.1',
        `[::1]:${bridge.port}`,
        `0.0.0.0:${bridge.port}`,
        `127.0.0.2:${bridge.port}`,
      ]
      for (const route of routes) {
        for (const host of hosts) {
          const reply = await request(route, { Host: host, Authorization: `Bearer ${TOKEN}` })
          expect(reply.status, `${route.method} ${route.path}: Host ${host}`).toBe(403)
        }
      }
      expect(router.calls.length).toBe(before)
    })

    it('lets the same requests through with our own Host, Origin and token (the control)', async () => {
      for (const route of routes.filter((r) => r.path !== '/api/events')) {
        for (const token of tokens()) {
          const reply = await request(route, { Origin: `http://127.0.0.1:${bridge.port}`, 'Sec-Fetch-Site': 'same-origin', ...token }, true, '', app)
          expect(reply.status, `${route.method} ${app}${route.path}`).toBe(200)
        }
        const byBearerAtRoot = await request(route, { Authorization: `Bearer ${TOKEN}` })
        expect(byBearerAtRoot.status, `${route.method} ${route.path}`).toBe(200)
      }
    })
  })

  it('serves the renderer with a CSP, falls back to index.html, and stays inside its folder', async () => {
    const index = await send('/', { auth: false })
    expect(index.status).toBe(200)
    expect(index.body).toContain('<div id="root">')
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect(index.headers['content-security-policy']).toContain("default-src 'self'")
    // No form of ours posts anywhere; injected markup must not post the page's fields elsewhere either.
    expect(index.headers['content-security-policy']).toContain("form-action 'none'")

    const asset = await send('/assets/app.js', { auth: false })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toContain('text/javascript')

    const screen = await send('/gallery', { auth: false })
    expect(screen.status).toBe(200)
    expect(screen.body).toContain('<div id="root">')
    expect((await send('/assets/missing.js', { auth: false })).status).toBe(404)

    // The same bundle under the app's path (where sign-in sends the browser) and under a stale one.
    for (const under of [app, '/s/0123456789abcdef01234567']) {
      expect((await send(`${under}/`, { auth: false })).body).toContain('<div id="root">')
      expect((await send(`${under}/assets/app.js`, { auth: false })).status).toBe(200)
    }
    const bare = await send(app, { auth: false })
    expect(bare.status).toBe(308)
    expect(bare.headers.location).toBe(`${app}/`)

    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/leak.txt', `${app}/../../secret.txt`, `${app}/..%2f..%2fsecret.txt`, '/s/..%2f..%2f/secret.txt']) {
      const reply = await send(path, { auth: false })
      expect(reply.body, path).not.toContain(SECRET)
      expect([404, 200]).toContain(reply.status)
      if (reply.status === 200) expect(reply.body).toContain('<div id="root">')
    }
  })

  describe('event stream', () => {
    let abort: AbortController | null = null
    afterEach(() => abort?.abort())

    it('delivers router events as Server-Sent Events and unsubscribes when the client leaves', async () => {
      abort = new AbortController()
      const listenersBefore = router.listeners.size
      const response = await fetch(`http://127.0.0.1:${bridge.port}/api/events`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
        signal: abort.signal,
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      const reader = response.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      const readUntil = async (needle: string): Promise<void> => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read()
          if (done) throw new Error(`stream ended before ${needle}`)
          text += decoder.decode(value, { stream: true })
        }
      }

      // On connect: the current queue state, so a reconnecting client can resync.
      await readUntil('"queue.changed"')
      expect(router.listeners.size).toBe(listenersBefore + 1)

      const message: EventMessage = { event: 'gallery.changed', data: { added: ['img_1'], removed: [] } }
      router.emit(message)
      await readUntil('img_1')
      const frames = text.split('\n\n').filter((frame) => frame.startsWith('data: '))
      const parsed = frames.map((frame) => JSON.parse(frame.slice('data: '.length)) as EventMessage)
      expect(parsed).toContainEqual(message)

      abort.abort()
      await expect.poll(() => router.listeners.size).toBe(listenersBefore)
    })
  })
})
