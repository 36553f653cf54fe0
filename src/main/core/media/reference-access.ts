import { realpathSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { badInput, type LocalReference } from '../../../shared/api'
import { STORED_REFERENCE_NAME } from '../../../shared/references/reference-text'

/**
 * Which local files a request may name as reference images or as a mask. The command line is the
 * user's own shell, so it may name any file it can read. The interface doors (Electron IPC and the
 * browser-mode bridge) answer whatever runs in the window or holds the token, so they may name only
 * the references `refs.import` stored under `<home>/refs/` (https links are checked elsewhere): a
 * `file` reference is refused from them by its kind, and a `stored` one must really be stored.
 * A refused path gets one answer whether or not the file exists: a caller must not learn what is
 * on the disk from it. Callers must read the path `admit` returns, not the one they were given.
 */
export type LocalReferencePaths = 'any' | 'library-only'

export type ReferenceField = 'refs' | 'mask'

export interface ReferenceAccess {
  readonly mode: LocalReferencePaths
  /** The path to read for a local reference or mask, or a bad_input naming the field. */
  admit(field: ReferenceField, ref: LocalReference): string
}

/** The folder `refs.import` writes into. */
export function referenceFolder(home: string): string {
  return resolve(home, 'refs')
}

export function createReferenceAccess(home: string, mode: LocalReferencePaths): ReferenceAccess {
  if (mode === 'any') return { mode, admit: (_field, ref) => ref.path }
  const folder = referenceFolder(home)
  return {
    mode,
    admit(field, ref) {
      const path = ref.path
      if (ref.kind !== 'stored') throw notStored(field, path)
      // Decided on the text first, so a path elsewhere is refused without touching the disk.
      const named = isAbsolute(path) ? resolve(path) : null
      if (named === null || dirname(named) !== folder || !STORED_REFERENCE_NAME.test(basename(named))) throw notStored(field, path)
      try {
        // A symlink placed in refs/ (or refs/ itself being one) must not lead out of the library.
        const real = realpathSync(named)
        if (dirname(real) !== realpathSync(folder) || basename(real) !== basename(named) || !statSync(real).isFile()) throw notStored(field, path)
      } catch {
        throw notStored(field, path)
      }
      return named
    },
  }
}

function notStored(field: ReferenceField, path: string) {
  // The caller's own text, cut short; nothing read from the disk goes into the answer.
  const shown = path.length > 120 ? `${path.slice(0, 117)}...` : path
  return field === 'mask'
    ? badInput('mask', `The mask ${shown} is not an image stored in this library; only a mask added to the library can be used here.`, { code: 'stored_reference', field: 'mask' })
    : badInput('refs', `${shown} is not a reference image stored in this library; only images added to the library, or https links, can be used here.`, { code: 'stored_reference', field: 'refs' })
}
