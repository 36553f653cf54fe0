import { api, type ApiClient, type Input, type Output, type RouteName } from './contract'
import { ApiError, ApiErrorSchema, type Result } from './errors'
import type { DesktopCapabilities } from './desktop'
import type { EventMessage, EventName, Events } from './events'

/**
 * What a door must provide to the renderer: a raw call returning a Result object, an event feed
 * and a media URL mapper. The preload (Electron) and the browser bridge client each implement it;
 * `createApiClient` turns either into the typed ApiClient the UI uses.
 */
export interface Transport {
  invoke(name: string, input: unknown): Promise<Result<unknown>>
  subscribe(listener: (message: EventMessage) => void): () => void
  mediaUrl(relPath: string): string
  /** The desktop app's extra capabilities; browser mode has none. */
  desktop?: DesktopCapabilities
}

export function createApiClient(transport: Transport): ApiClient {
  const listeners = new Map<EventName, Set<(data: never) => void>>()
  let unsubscribe: (() => void) | null = null

  const ensureFeed = (): void => {
    if (unsubscribe) return
    unsubscribe = transport.subscribe((message) => {
      for (const listener of listeners.get(message.event) ?? []) listener(message.data as never)
    })
  }

  return {
    async call<N extends RouteName>(name: N, input: Input<N>): Promise<Output<N>> {
      const result = await transport.invoke(name, input)
      if (!result.ok) {
        const parsed = ApiErrorSchema.safeParse(result.error)
        throw parsed.success ? ApiError.from(parsed.data) : new ApiError('internal', 'The engine sent an unreadable error.')
      }
      // The engine is trusted but the wire is not: a malformed reply is an error, not a crash later.
      const checked = api[name].output.safeParse(result.value)
      if (!checked.success) throw new ApiError('internal', `The engine sent an unexpected reply to ${name}.`)
      return checked.data as Output<N>
    },
    on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (data: never) => void)
      ensureFeed()
      return () => set.delete(listener as (data: never) => void)
    },
    mediaUrl: (rel) => transport.mediaUrl(rel),
    ...(transport.desktop ? { desktop: transport.desktop } : {}),
  }
}
