import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { badInput } from '../../../shared/api'

/**
 * The folder an export writes to, as typed by a person (browser mode has no folder picker) or
 * chosen in a native dialog. Checked before anything is written, with a message that says what
 * is wrong and what to do. The library's own image folders are refused: the orphan sweep would
 * delete files it does not know.
 */

export function resolveExportFolder(text: string): string {
  const typed = text.trim()
  const expanded = typed === '~' ? homedir() : typed.startsWith('~/') || typed.startsWith('~\\') ? join(homedir(), typed.slice(2)) : typed
  if (!isAbsolute(expanded)) {
    throw badInput('folder', `The export folder "${typed}" is not a full path.`, 'Give a full path such as /home/you/Exports/shop (or ~/Exports/shop).')
  }
  return resolve(expanded)
}

/** What keeps the export from writing to `folder`, or null. `folder` need not exist yet. */
export async function folderProblem(folder: string, libraryHome: string): Promise<string | null> {
  for (const inside of ['images', 'thumbs', 'refs']) {
    const rel = relative(join(libraryHome, inside), folder)
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      return `${folder} is inside the library's own ${inside} folder. Choose a folder outside the library.`
    }
  }
  // Walk up to the nearest folder that exists: that is where the new folders will be made.
  let probe = folder
  for (;;) {
    const info = await stat(probe).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : err))
    if (info instanceof Error) return `${probe} cannot be read (${(info as NodeJS.ErrnoException).code ?? info.message}). Choose another folder.`
    if (info) {
      if (!info.isDirectory()) {
        return probe === folder
          ? `${folder} is a file, not a folder. Choose a folder, or a new name for one.`
          : `${probe} is a file, so ${folder} cannot be made. Choose another folder.`
      }
      try {
        await access(probe, constants.W_OK | constants.X_OK)
      } catch {
        return `${probe} is not writable for this user. Choose a folder you can write to.`
      }
      return null
    }
    const parent = dirname(probe)
    if (parent === probe) return `No part of ${folder} exists. Choose a folder on a mounted disk.`
    probe = parent
  }
}

export async function checkExportFolder(text: string, libraryHome: string): Promise<string> {
  const folder = resolveExportFolder(text)
  const problem = await folderProblem(folder, libraryHome)
  if (problem) throw badInput('folder', problem, 'Pick a folder you can write to (an empty or new folder is simplest).')
  return folder
}
