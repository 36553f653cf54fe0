import { ApiError, type LibraryInfo, type RecentLibrary } from '../../../shared/api'
import type { Handlers } from '../router'
import { libraryInfoOf, type LibraryFigures } from './library-info'

/** Switching libraries: the library host (library-host.ts) provides it to each engine it opens. */
export interface LibrarySwitch {
  recent(currentPath: string): RecentLibrary[]
  open(request: { path: string; create: boolean; whileRunning: 'refuse' | 'interrupt' }): Promise<LibraryInfo>
  forget(path: string): Promise<void>
}

/** For an engine with no host (the CLI, one-library tests): it serves its one library only. */
export const singleLibrary: LibrarySwitch = {
  recent: () => [],
  open: () => Promise.reject(new ApiError('unavailable', 'This process serves one library and cannot switch to another.', { field: 'path' })),
  forget: () => Promise.resolve(),
}

export interface LibraryHandlerDeps {
  home: string
  figures: LibraryFigures
  runningJobs: () => number
  library: LibrarySwitch
}

type LibraryHandlers = Pick<Handlers, 'library.current' | 'library.recent' | 'library.open' | 'library.forget'>

export function createLibraryHandlers(deps: LibraryHandlerDeps): LibraryHandlers {
  return {
    'library.current': () => libraryInfoOf(deps.home, deps.figures, deps.runningJobs()),
    'library.recent': () => deps.library.recent(deps.home),
    'library.open': (input) => deps.library.open(input),
    'library.forget': async (input) => {
      await deps.library.forget(input.path)
      return { ok: true as const }
    },
  }
}
