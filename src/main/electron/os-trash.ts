/**
 * The Electron door's Trash for the engine: shell.trashItem moves a file to the system's own
 * trash (Trash, Recycle Bin), where the user can restore it. Electron's shell is passed in, so
 * this stays a thin, typed adapter with nothing to decide.
 */
import type { Shell } from 'electron'
import type { Trash } from '../core'

const NAMES: Partial<Record<NodeJS.Platform, string>> = { win32: 'the Recycle Bin' }

export function systemTrash(shell: Pick<Shell, 'trashItem'>, platform: NodeJS.Platform = process.platform): Trash {
  return {
    info: { kind: 'system', description: NAMES[platform] ?? 'the system Trash' },
    moveToTrash: (absolutePath) => shell.trashItem(absolutePath),
  }
}
