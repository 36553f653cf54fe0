import type { ApiErrorData, EventMessage, Result, Transport } from '../../../shared/api'

/**
 * The browser-mode door: the same Transport the Electron preload provides, spoken over the
 * loopback bridge (src/web). Calls are `POST api/call`, events arrive over `GET api/events`
 * (Server-Sent Events) and images load from `media/...`, all beside the page: the bridge serves
 * the app under a path of its own (`/s/<id>/`) and scopes the session cookie to it, so calls
 * must go there to carry it. The cookie is HttpOnly, so this code never sees or stores it.
 */

export interface BridgeTransportOptions {
  /** Origin and path the calls go to; by default the folder of the page's own address. */
  baseUrl?: string
  fetch?: typeof fetch
  EventSource?: typeof EventSource
  /** Longest wait between reconnect attempts of the event stream. */
  maxReconnectDelayMs?: number
  /**
   * The bridge refused a call for want of the session (401): the page was opened without the
   * token, or the bridge restarted with a new one. Called once; the page then says how to open
   * Proofsheet instead of showing the same refusal in every panel.
   */
  onSignedOut?(): void
}

const UNREACHABLE: ApiErrorData = {
  code: 'unavailable',
  message: 'Cannot reach the Proofsheet bridge.',
  fix: 'Check that `npm run web` is still running, then reload this page.',
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const ok = (value as { ok?: unknown }).ok
  return ok === true ? 'value' in value : ok === false && typeof (value as { error?: unknown }).error === 'object'
}

function isEventMessage(value: unknown): value is EventMessage {
  return typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string' && 'data' in value
}

export function mediaPath(relPath: string): string {
  return '/media/' + relPath.split('/').filter(Boolean).map(encodeURIComponent).join('/')
}

/** The folder of a page's address, without its trailing slash: `/s/ab12/` gives `/s/ab12`, `/` gives ''. */
export function pageFolder(pathname: string): string {
  return pathname.slice(0, pathname.lastIndexOf('/') + 1).replace(/\/$/, '')
}

export function createBridgeTransport(options: BridgeTransportOptions = {}): Transport {
  const base = options.baseUrl ?? pageFolder(globalThis.location?.pathname ?? '/')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource
  const maxDelay = options.maxReconnectDelayMs ?? 30_000

  let signedOut = false
  const listeners = new Set<(message: EventMessage) => void>()
  let source: EventSource | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let failures = 0

  const connect = (): void => {
    retryTimer = null
    const es = new EventSourceImpl(`${base}/api/events`)
    source = es
    es.onopen = () => {
      failures = 0
    }
    es.onmessage = (event: MessageEvent<string>) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(event.data)
      } catch {
        return
      }
      if (!isEventMessage(parsed)) return
      for (const listener of [...listeners]) listener(parsed)
    }
    es.onerror = () => {
      // EventSource retries dropped connections itself, but gives up for good on an HTTP error
      // (e.g. the bridge restarted with a new token, or is gone); then we try again, backing off.
      if (es.readyState !== EventSourceImpl.CLOSED || source !== es) return
      es.close()
      source = null
      failures += 1
      const delay = Math.min(maxDelay, 1000 * 2 ** Math.min(failures - 1, 5))
      if (listeners.size > 0) retryTimer = setTimeout(connect, delay)
    }
  }

  const disconnect = (): void => {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    source?.close()
    source = null
  }

  return {
    async invoke(name, input) {
      let response: Response
      const request = JSON.stringify({ name, input })
      try {
        response = await doFetch(`${base}/api/call`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: request,
          // The draft saved as the page goes away must outlive the page. Browsers allow that for
          // 64 KB of bodies in flight in all, so only this call asks for it, and only when small.
          ...(name === 'workspace.save' && request.length < 16_000 ? { keepalive: true } : {}),
        })
      } catch {
        return { ok: false, error: UNREACHABLE }
      }
      if (response.status === 401 && !signedOut) {
        signedOut = true
        options.onSignedOut?.()
      }
      let body: unknown
      try {
        body = await response.json()
      } catch {
        body = undefined
      }
      // The bridge answers every request, refusals included, with a Result.
      if (isResult(body)) return body
      return {
        ok: false,
        error: { code: 'internal', message: `The bridge answered ${response.status} without a readable result.`, fix: UNREACHABLE.fix },
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      if (!source && !retryTimer) connect()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) disconnect()
      }
    },
    mediaUrl: (relPath) => `${base}${mediaPath(relPath)}`,
  }
}
