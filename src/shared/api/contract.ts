import type { z } from 'zod'
import { batchRoutes } from './batches'
import { budgetRoutes } from './budgets'
import { exportRoutes } from './exports'
import { galleryRoutes } from './gallery'
import { jobRoutes } from './jobs'
import { keyRoutes } from './keys'
import { libraryRoutes } from './library'
import { promptRoutes } from './prompts'
import { providerRoutes } from './providers'
import { queueRoutes } from './queue'
import { refRoutes } from './refs'
import { spendRoutes } from './spend'
import { templateRoutes } from './templates'
import { workspaceRoutes } from './workspace'

/**
 * Every call any door may make. The IPC adapter, the preload, the browser bridge and the CLI
 * are all typed from this map; adding a route here is the only way to add a call. A route's
 * prefix names the file that declares it (`batches.run` in batches.ts) and the engine file that
 * handles it (README.md beside this file lists them; test/main/engine/route-owners.test.ts checks).
 */
export const api = {
  ...providerRoutes,
  ...keyRoutes,
  ...refRoutes,
  ...jobRoutes,
  ...queueRoutes,
  ...batchRoutes,
  ...galleryRoutes,
  ...templateRoutes,
  ...spendRoutes,
  ...budgetRoutes,
  ...exportRoutes,
  ...workspaceRoutes,
  ...promptRoutes,
  ...libraryRoutes,
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
