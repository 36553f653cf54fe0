import { constants } from 'node:fs'
import { access, lstat, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { badInput } from '../../../shared/api'

/**
 * The folder an export writes to, as typed by a person (browser mode has no folder picker) or
 * chosen in a native dialog. Checked before anything is written, with a message that says what
 * is wrong and what to do. The library's own image folders are refused: the orphan sweep would
 * delete files it does not know, and an export could overwrite the library's images. They are
 * compared by real path too, so a symlink (or a folder under one) that leads into them is
 * refused like the folder itself. (Export file names are flat, see naming.ts: no subfolder of the
 * export folder is ever written into.)
 */

/** The library's folders an export must never write into (trash too: a restore reads it back). */
const LIBRARY_FOLDERS = ['images', 'thumbs', 'refs', 'trash'] as const

function isWithin(parent: string, path: string): boolean {
  const rel = relative(parent, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Where `path` really is: the real path of its nearest existing ancestor, with the parts that do
 * not exist yet appended (they will be made as plain folders there). Null when a part is a link
 * to nowhere: the folder it would make cannot be told in advance.
 */
async function realPathAhead(path: string): Promise<string | null> {
  const missing: string[] = []
  let probe = path
  for (;;) {
    try {
      return join(await realpath(probe), ...missing.reverse())
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err
      // realpath fails on a dangling link too: lstat tells it from a part that is simply absent.
      if (await lstat(probe).then(() => true, () => false)) return null
    }
    const parent = dirname(probe)
    if (parent === probe) return path
    missing.push(basename(probe))
    probe = parent
  }
}

/**
 * The library folder (images, thumbs, refs, trash) that `path` would land in, by its name as
 * typed or by its real path, or null. A folder of the library may itself be a link to another disk.
 */
async function libraryFolderHolding(path: string, libraryHome: string): Promise<string | null> {
  const real = await realPathAhead(path)
  for (const inside of LIBRARY_FOLDERS) {
    const folder = join(libraryHome, inside)
    if (isWithin(folder, path)) return inside
    if (real === null) continue
    const realFolder = await realPathAhead(folder)
    if (realFolder !== null && isWithin(realFolder, real)) return inside
  }
  return real === null ? 'a link to a missing folder' : null
}

function insideLibraryMessage(folder: string, inside: string): string {
  return inside === 'a link to a missing folder'
    ? `${folder} goes through a link to a folder that does not exist, so where the files would land cannot be told. Choose a folder outside the library.`
    : `${folder} is inside the library's own ${inside} folder (directly or through a link). Choose a folder outside the library.`
}

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
  const inside = await libraryFolderHolding(folder, libraryHome)
  if (inside) return insideLibraryMessage(folder, inside)
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
  const inside = await libraryFolderHolding(folder, libraryHome)
  if (inside) throw badInput('folder', insideLibraryMessage(folder, inside), `Choose a folder outside the library folder ${libraryHome}, such as ~/Exports/shop.`)
  const problem = await folderProblem(folder, libraryHome)
  if (problem) throw badInput('folder', problem, 'Pick a folder you can write to (an empty or new folder is simplest).')
  return folder
}
