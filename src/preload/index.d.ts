// The renderer's view of the preload, derived from the preload itself: no hand-written copy.
import type { PreloadApi } from './index'

declare global {
  interface Window {
    /** Present in the Electron window; absent in browser mode, which uses its HTTP bridge. */
    proofsheet?: PreloadApi
  }
}

export {}
