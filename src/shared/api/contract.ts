import type { z } from 'zod'
import { exportRoutes } from './exports'
import { galleryRoutes } from './gallery'
import { jobRoutes } from './jobs'
import { keyRoutes } from './keys'
import { providerRoutes } from './providers'
import { templateRoutes } from './templates'
import { spendRoutes } from './spend'
import { batchRoutes } from './batches'
import { workspaceRoutes } from './workspace'

/**
 * Every call any door may make. The IPC adapter, the preload, the browser bridge and the CLI
 * are all typed from this map; adding a route here is the only way to add a call.
 */
export const api = {
  ...providerRoutes,
  ...keyRoutes,
  ...jobRoutes,
  ...batchRoutes,
  ...galleryRoutes,
  ...templateRoutes,
  ...spendRoutes,
  ...exportRoutes,
  ...workspaceRoutes,
} as const

export type Api = typeof api
export type RouteName = keyof Api
export type Input<N extends RouteName> = z.input<Api[N]['input']>
export type ParsedInput<N extends RouteName> = z.output<Api[N]['input']>
export type Output<N extends RouteName> = z.output<Api[N]['output']>

export function isRouteName(name: unknown): name is RouteName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name)
}

/** The client every door hands the renderer (preload in Electron, HTTP bridge in a browser). */
export interface ApiClient {
  call<N extends RouteName>(name: N, input: Input<N>): Promise<Output<N>>
  on<E extends import('./events').EventName>(
    event: E,
    listener: (data: import('./events').Events[E]) => void,
  ): () => void
  /** Turns a library-relative path (ImageView.file/thumb) into a URL this door can serve. */
  mediaUrl(relPath: string): string
  /** Present in the desktop app only. */
  desktop?: import('./desktop').DesktopCapabilities
}
