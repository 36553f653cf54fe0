import type { IncomingMessage, ServerResponse } from 'node:http'
import { QueueState, type EventMessage, type Router } from '../shared/api'
import { BASE_HEADERS } from './http-replies'

/**
 * The engine's event feed as Server-Sent Events. Each engine event becomes one `data:` line
 * holding the EventMessage JSON ({event, data}); comments keep idle proxies and sockets open.
 * A stream subscribes to the router when it opens and unsubscribes when it closes, however it
 * closes, so a reloaded tab does not leak listeners.
 */

export const HEARTBEAT_MS = 15_000
/** How long a browser waits before reconnecting after the stream drops. */
export const RECONNECT_MS = 2_000

export interface EventStreams {
  open(req: IncomingMessage, res: ServerResponse): void
  /** Ends every open stream (the bridge is shutting down). */
  closeAll(): void
}

export function createEventStreams(router: Router, heartbeatMs = HEARTBEAT_MS): EventStreams {
  const open = new Set<() => void>()

  return {
    open(req, res) {
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      })
      res.write(`retry: ${RECONNECT_MS}\n: connected\n\n`)

      const send = (message: EventMessage): void => {
        res.write(`data: ${JSON.stringify(message)}\n\n`)
      }
      const unsubscribe = router.subscribe(send)
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs)
      heartbeat.unref()

      let closed = false
      const close = (): void => {
        if (closed) return
        closed = true
        clearInterval(heartbeat)
        unsubscribe()
        open.delete(close)
        if (!res.writableEnded) res.end()
      }
      open.add(close)
      req.on('close', close)
      res.on('close', close)
      res.on('error', close)

      // A client that (re)connects may have missed events: hand it the current queue state, a
      // genuine queue.changed, so it can resync its lists.
      void router.handle('queue.state', {}).then((result) => {
        const state = result.ok ? QueueState.safeParse(result.value) : null
        if (!closed && state?.success) send({ event: 'queue.changed', data: state.data })
      })
    },
    closeAll() {
      for (const close of [...open]) close()
    },
  }
}
