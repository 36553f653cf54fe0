import type { Result } from './errors'
import type { EventMessage } from './events'

/**
 * The engine's single entry point, with no knowledge of how a call arrived. Every door (Electron
 * IPC, browser bridge, CLI) is an adapter over this: it passes the raw name and input along and
 * relays the result or error object. `handle` never throws; it validates the input itself.
 */
export interface Router {
  handle(name: unknown, input: unknown): Promise<Result<unknown>>
  subscribe(listener: (message: EventMessage) => void): () => void
}
