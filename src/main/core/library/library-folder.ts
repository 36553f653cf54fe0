/**
 * Checks a folder the person named before any engine touches it: opening needs a Proofsheet
 * library there, creating needs an empty folder (or none yet), so a new library is never written
 * into someone's Documents, and "open" never silently starts an empty library in a mistyped path.
 * What is inside the database (damaged, newer, another program's) is the store's own check.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { ApiError } from '../../../shared/api'
import { LIBRARY_DATABASE } from './recent-libraries'

// Files an OS or a sync tool drops into any folder: a folder holding only these is still empty.
const OS_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.localized'])

export function checkLibraryFolder(path: string, mode: 'open' | 'create'): string {
  if (!isAbsolute(path)) {
    throw new ApiError('bad_input', `The library folder "${path}" is not a full path.`, {
      field: 'path',
      fix: 'Give the whole path of the folder, from the top of the disk.',
    })
  }
  const folder = resolve(path)
  const info = statOrNull(folder)
  if (mode === 'open') {
    if (!info) {
      throw new ApiError('not_found', `There is no folder ${folder}.`, {
        field: 'path',
        fix: 'Check the path (the disk it is on may not be attached), or create a new library there.',
      })
    }
    if (!info.isDirectory()) throw notAFolder(folder)
    if (!existsSync(join(folder, LIBRARY_DATABASE))) {
      throw new ApiError('bad_input', `${folder} is not a Proofsheet library: it has no ${LIBRARY_DATABASE}.`, {
        field: 'path',
        fix: 'Choose the folder that holds library.sqlite, or create a new library in an empty folder.',
      })
    }
    return folder
  }
  if (!info) return folder
  if (!info.isDirectory()) throw notAFolder(folder)
  const entries = readdirSync(folder).filter((name) => !OS_LITTER.has(name))
  if (entries.includes(LIBRARY_DATABASE)) {
    throw new ApiError('conflict', `${folder} already holds a Proofsheet library.`, { field: 'path', fix: 'Open it instead of creating one.' })
  }
  if (entries.length > 0) {
    throw new ApiError('bad_input', `${folder} is not empty (${entries.length} item${entries.length === 1 ? '' : 's'}), so a new library is not made there.`, {
      field: 'path',
      fix: 'Choose an empty folder, or a name for a folder that does not exist yet.',
    })
  }
  return folder
}

function notAFolder(folder: string): ApiError {
  return new ApiError('bad_input', `${folder} is a file, not a folder.`, { field: 'path', fix: 'Choose a folder.' })
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}
