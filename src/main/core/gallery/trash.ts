/**
 * Where deleted images go. The engine runs under plain Node, so the OS trash reaches it through
 * this interface: the Electron door passes one built on shell.trashItem, every other door gets
 * the library's own trash folder. `moveToTrash` must either move the file or throw; it never
 * deletes outright.
 */
import { existsSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { TrashInfo } from '../../../shared/api'
import { ensureDirectory } from '../files/atomic-write'

export interface Trash {
  readonly info: TrashInfo
  moveToTrash(absolutePath: string): Promise<void>
}

/**
 * The fallback without a desktop: `<home>/trash/`, on the same disk as the images, so the move is
 * a rename and nothing is copied. Nothing empties it; the interface says where it is.
 */
export function createFolderTrash(home: string): Trash {
  const folder = join(home, 'trash')
  return {
    info: { kind: 'folder', description: `the library's trash folder, ${folder} (empty it yourself when you are sure)` },
    async moveToTrash(absolutePath) {
      await ensureDirectory(folder)
      await rename(absolutePath, freeName(folder, basename(absolutePath)))
    },
  }
}

/** `name`, or `name-2`, `name-3`, ... before the extension: a trashed file never replaces another. */
function freeName(folder: string, name: string): string {
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  let candidate = join(folder, name)
  for (let i = 2; existsSync(candidate); i++) candidate = join(folder, `${stem}-${i}${ext}`)
  return candidate
}
