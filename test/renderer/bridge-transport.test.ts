import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventMessage } from '../../src/shared/api'
import { createBridgeTransport, mediaPath, pageFolder } from '../../src/renderer/src/api/bridge-transport'

/** Just enough of EventSource to drive the transport: tests open, fail and message it. */
class FakeEventSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static instances: FakeEventSource[] = []
  readyState = FakeEventSource.CONNECTING
  onopen: (() => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this)
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED
  }
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  failForGood(): void {
    this.readyState = FakeEventSource.CLOSED
    this.onerror?.()
  }
}

afterEach(() => {
  FakeEventSource.instances = []
  vi.useRealTimers()
})

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('bridge transport', () => {
  it('posts calls as JSON with same-origin credentials and returns the Result', async () => {
    const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(200, { ok: true, value: { providers: [] } }))
    const transport = createBridgeTransport({ fetch: fetchMock as typeof fetch })
    expect(await transport.invoke('providers.list', {})).toEqual({ ok: true, value: { providers: [] } })
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/call')
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin' })
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json')
    expect(JSON.parse(String(init?.body))).toEqual({ name: 'providers.list', input: {} })
  })

  it('says once that the session is missing when the bridge answers 401, and not for other refusals', async () => {
    const refusal = { ok: false, error: { code: 'unavailable', message: 'The browser bridge needs its access token.', fix: 'Open the URL.' } }
    let status = 403
    const onSignedOut = vi.fn()
    const transport = createBridgeTransport({ fetch: (async () => jsonResponse(status, refusal)) as typeof fetch, onSignedOut })
    await transport.invoke('providers.list', {})
    expect(onSignedOut).not.toHaveBeenCalled()
    status = 401
    expect(await transport.invoke('providers.list', {})).toEqual(refusal)
    await transport.invoke('queue.state', {})
    expect(onSignedOut).toHaveBeenCalledTimes(1)
  })

  it("passes the bridge's own refusals through and turns network failures into a Result", async () => {
    const refusal = { ok: false, error: { code: 'unavailable', message: 'The browser bridge needs its access token.', fix: 'Open the URL.' } }
    const refused = createBridgeTransport({ fetch: (async () => jsonResponse(401, refusal)) as typeof fetch })
    expect(await refused.invoke('providers.list', {})).toEqual(refusal)

    const offline = createBridgeTransport({
      fetch: (async () => {
        throw new TypeError('Failed to fetch')
      }) as typeof fetch,
    })
    const result = await offline.invoke('providers.list', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'Cannot reach the Proofsheet bridge.' } })
  })

  it('maps library paths to /media URLs, encoding each segment', () => {
    expect(mediaPath('images/2026/01/a b#1.png')).toBe('/media/images/2026/01/a%20b%231.png')
    const transport = createBridgeTransport({ baseUrl: 'http://127.0.0.1:5000', fetch: fetch })
    expect(transport.mediaUrl('thumbs/x.webp')).toBe('http://127.0.0.1:5000/media/thumbs/x.webp')
  })

  it('sends calls beside the page, where the bridge scopes its session cookie (the app\'s own path)', async () => {
    expect(pageFolder('/s/0a1b2c/')).toBe('/s/0a1b2c')
    expect(pageFolder('/s/0a1b2c/gallery')).toBe('/s/0a1b2c')
    expect(pageFolder('/')).toBe('')
    const urls: string[] = []
    const transport = createBridgeTransport({
      baseUrl: pageFolder('/s/0a1b2c/'),
      fetch: (async (url: string) => {
        urls.push(url)
        return new Response('{"ok":true,"value":{}}', { status: 200 })
      }) as typeof fetch,
    })
    await transport.invoke('queue.state', {})
    expect(urls).toEqual(['/s/0a1b2c/api/call'])
    expect(transport.mediaUrl('images/a.png')).toBe('/s/0a1b2c/media/images/a.png')
  })

  it('shares one event stream, delivers messages, and reconnects after the stream gives up', async () => {
    vi.useFakeTimers()
    const transport = createBridgeTransport({ EventSource: FakeEventSource as unknown as typeof EventSource, fetch: fetch })
    const a: EventMessage[] = []
    const b: EventMessage[] = []
    const offA = transport.subscribe((m) => a.push(m))
    const offB = transport.subscribe((m) => b.push(m))
    expect(FakeEventSource.instances).toHaveLength(1)
    const first = FakeEventSource.instances[0]!
    expect(first.url).toBe('/api/events')

    const message: EventMessage = { event: 'gallery.changed', data: { added: ['img_1'], removed: [] } }
    first.deliver(message)
    first.onmessage?.({ data: 'not json' })
    expect(a).toEqual([message])
    expect(b).toEqual([message])

    first.failForGood()
    expect(FakeEventSource.instances).toHaveLength(1)
    await vi.runOnlyPendingTimersAsync()
    expect(FakeEventSource.instances).toHaveLength(2)

    offA()
    offB()
    expect(FakeEventSource.instances[1]!.readyState).toBe(FakeEventSource.CLOSED)
  })
})
