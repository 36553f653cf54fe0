import type { z } from 'zod'
import type { Route } from './route'
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

/** Each route prefix's map (`batches.*` in batchRoutes); a map and its schemas are built on its first use. */
const routesByPrefix = {
  providers: providerRoutes,
  keys: keyRoutes,
  refs: refRoutes,
  jobs: jobRoutes,
  queue: queueRoutes,
  batches: batchRoutes,
  gallery: galleryRoutes,
  templates: templateRoutes,
  spend: spendRoutes,
  budgets: budgetRoutes,
  exports: exportRoutes,
  workspace: workspaceRoutes,
  prompts: promptRoutes,
  library: libraryRoutes,
} as const

/** Every prefix's routes as one object type: the maps above, intersected (derived, so a new prefix is added in one place). */
type Intersection<U> = (U extends unknown ? (each: U) => void : never) extends (all: infer I) => void ? I : never
export type Api = Intersection<(typeof routesByPrefix)[keyof typeof routesByPrefix]>

/** The map that declares a route name (the one its prefix names), or undefined for any other key. */
function routesOf(name: PropertyKey): Readonly<Record<string, Route>> | undefined {
  if (typeof name !== 'string') return undefined
  const dot = name.indexOf('.')
  if (dot < 0) return undefined
  const prefix = name.slice(0, dot)
  if (!Object.prototype.hasOwnProperty.call(routesByPrefix, prefix)) return undefined
  const routes: Readonly<Record<string, Route>> = routesByPrefix[prefix as keyof typeof routesByPrefix]
  return Object.prototype.hasOwnProperty.call(routes, name) ? routes : undefined
}

/**
 * Every call any door may make. The IPC adapter, the preload, the browser bridge and the CLI
 * are all typed from this map; adding a route here is the only way to add a call. A route's
 * prefix names the file that declares it (`batches.run` in batches.ts) and the engine file that
 * handles it (README.md beside this file lists them; test/main/engine/route-owners.test.ts checks).
 *
 * It reads as one object holding every route, but a call builds only its own prefix's schemas
 * (the command line answers one call, and building all of them slowed its start-up);
 * listing the routes (Object.keys) builds them all.
 */
export const api: Api = new Proxy({} as Api, {
  get: (target, name) => routesOf(name)?.[name as string] ?? Reflect.get(target, name),
  has: (target, name) => routesOf(name) !== undefined || Reflect.has(target, name),
  ownKeys: () => Object.values(routesByPrefix).flatMap((routes) => Object.keys(routes)),
  getOwnPropertyDescriptor: (_, name) => {
    const routes = routesOf(name)
    return routes && { value: routes[name as string], writable: false, enumerable: true, configurable: true }
  },
})

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
