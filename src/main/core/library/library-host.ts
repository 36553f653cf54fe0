/**
 * Holds the open library and switches to another: the one place an engine is closed and another
 * opened while the app runs. Doors (the Electron shell, browser mode) hand their callers `router`,
 * which always reaches the library open now, and must read the folder from `home()` each time
 * rather than keep it. The engine is built by the door's own factory (this folder may not import
 * engine.ts), so each door keeps its options (keychain, trash, runQueue).
 *
 * Switching while this process runs jobs is refused with their count, unless the caller asks to
 * interrupt them: a studio lead should not lose a running batch to a click, and "interrupt" is
 * exactly a restart (the jobs are marked interrupted and resume when that library opens again).
 * The other library is opened, and its damage and version checked, before this one is closed, so
 * a refused folder leaves the current library open and untouched.
 */
import type { EventMessage, LibraryInfo, Result, Router } from '../../../shared/api'
import { ApiError } from '../../../shared/api'
import { checkLibraryFolder } from './library-folder'
import type { LibrarySwitch } from './library-handlers'
import type { RecentLibraries } from './recent-libraries'

/** What the host needs of an engine (engine.ts's Engine has all of it). */
export interface HostedEngine {
  readonly home: string
  readonly router: Router
  runningJobs(): number
  startQueue(): boolean
  close(options?: { drain?: boolean }): Promise<void>
}

export interface LibraryHostOptions<E extends HostedEngine> {
  home: string
  recent: RecentLibraries
  /** Builds the engine for one folder; the host passes itself as that engine's library switch. */
  openEngine: (home: string, library: LibrarySwitch) => Promise<E>
  /** Become the queue runner of each library opened (the app and browser mode do). */
  runQueue: boolean
  /** Told after each switch, with the new engine (the Electron shell repoints its media protocol). */
  switched?: (engine: E) => void
}

export interface LibraryHost<E extends HostedEngine> {
  readonly router: Router
  engine(): E
  home(): string
  close(options?: { drain?: boolean }): Promise<void>
}

export async function openLibraryHost<E extends HostedEngine>(options: LibraryHostOptions<E>): Promise<LibraryHost<E>> {
  const listeners = new Set<(message: EventMessage) => void>()
  const forward = (message: EventMessage): void => {
    for (const listener of listeners) listener(message)
  }
  let switching = false

  const library: LibrarySwitch = {
    recent: (currentPath) => options.recent.list(currentPath),
    forget: async (path) => {
      if (path === current.home) {
        throw new ApiError('conflict', 'The library in use stays in the recent list.', { field: 'path', fix: 'Open another library first.' })
      }
      await options.recent.forget(path)
    },
    open: async (request) => {
      if (switching) throw new ApiError('conflict', 'Another library is being opened right now.', { field: 'path', fix: 'Wait for it, then try again.' })
      switching = true
      try {
        return await switchTo(request)
      } finally {
        switching = false
      }
    },
  }

  const switchTo = async (request: { path: string; create: boolean; whileRunning: 'refuse' | 'interrupt' }): Promise<LibraryInfo> => {
    const folder = checkLibraryFolder(request.path, request.create ? 'create' : 'open')
    if (folder === current.home) return infoOf(current)
    const running = current.runningJobs()
    if (running > 0 && request.whileRunning === 'refuse') {
      throw new ApiError('conflict', `${running} job${running === 1 ? ' is' : 's are'} running in this library; switching now would interrupt ${running === 1 ? 'it' : 'them'}.`, {
        field: 'whileRunning',
        fix: 'Wait for them to finish, or pause and switch: running jobs are then interrupted, as on a restart, and resume when this library is opened again.',
      })
    }
    // Opened first: a damaged or newer library is refused here, and the current one stays open.
    const next = await options.openEngine(folder, library)
    const previous = current
    unsubscribe()
    current = next
    unsubscribe = next.router.subscribe(forward)
    // Not drained: calls in flight are aborted and their jobs recovered when that library reopens.
    await previous.close({ drain: false })
    if (options.runQueue) next.startQueue()
    await options.recent.remember(folder)
    options.switched?.(next)
    return infoOf(next)
  }

  let current = await options.openEngine(options.home, library)
  let unsubscribe = current.router.subscribe(forward)
  if (options.runQueue) current.startQueue()
  await options.recent.remember(current.home)

  const router: Router = {
    handle: (name, input): Promise<Result<unknown>> => current.router.handle(name, input),
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
  return {
    router,
    engine: () => current,
    home: () => current.home,
    close: async (closeOptions) => {
      unsubscribe()
      await current.close(closeOptions)
    },
  }
}

async function infoOf(engine: HostedEngine): Promise<LibraryInfo> {
  const result = await engine.router.handle('library.current', {})
  if (!result.ok) throw ApiError.from(result.error)
  return result.value as LibraryInfo
}
