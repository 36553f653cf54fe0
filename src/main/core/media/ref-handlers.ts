import type { refRoutes } from '../../../shared/api'
import type { Handlers } from '../router'
import { describeReferences, importReference, referenceFromImage, type ImageFileLookup } from './reference-store'

export interface RefHandlerDeps {
  /** The library folder: references are stored under its refs/ folder. */
  home: string
  /** Finds a gallery image's file, for refs.fromImage. */
  imageFile: ImageFileLookup
}

/** The refs.* routes: reference images brought into the library folder, and looked up again. */
export function createRefHandlers(deps: RefHandlerDeps): Pick<Handlers, keyof typeof refRoutes> {
  return {
    'refs.import': (input) => importReference(deps.home, input.name, input.base64),
    'refs.fromImage': (input) => referenceFromImage(deps.home, deps.imageFile, input.imageId),
    'refs.describe': async (input) => ({ references: await describeReferences(deps.home, input.paths) }),
  }
}
