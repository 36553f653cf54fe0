import type { refRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import { describeReferences, importReference } from './reference-store'

export interface RefHandlerDeps {
  /** The library folder: references are stored under its refs/ folder. */
  home: string
}

/** The refs.* routes: reference images brought into the library folder, and looked up again. */
export function createRefHandlers(deps: RefHandlerDeps): Pick<Handlers, keyof typeof refRoutes> {
  return {
    'refs.import': (input) => importReference(deps.home, input.name, input.base64),
    'refs.describe': async (input) => ({ references: await describeReferences(deps.home, input.paths) }),
  }
}
