/**
 * The native "choose a folder" dialog for exports and library folders: the one thing an export needs that the
 * engine cannot do (it never imports electron). One channel, answered only after the same sender
 * check as every other IPC message (our window's top-level app page); it returns a path the user
 * picked or null, and the engine still checks that path.
 */
import type { BrowserWindow, Dialog } from 'electron'
import type { AppLocation } from './app-location'
import type { IpcMainLike } from './ipc-adapter'
import { checkInvokeEvent } from './sender-check'

/** The preload repeats this string (it cannot import at runtime). */
export const PICK_FOLDER_CHANNEL = 'proofsheet:pick-folder'

export function registerFolderPicker(deps: {
  ipcMain: IpcMainLike
  dialog: Pick<Dialog, 'showOpenDialog'>
  app: AppLocation
  window(): BrowserWindow | null
  log?: (message: string) => void
}): () => void {
  const log = deps.log ?? ((message: string) => console.warn(message))
  deps.ipcMain.handle(PICK_FOLDER_CHANNEL, async (event, purpose: unknown) => {
    const win = deps.window()
    const verdict = win ? checkInvokeEvent(event, [win.webContents], deps.app) : null
    if (!win || !verdict?.ok) {
      log(`[ipc] refused pick-folder: ${verdict && !verdict.ok ? verdict.reason : 'there is no Proofsheet window'}`)
      return null
    }
    // The Library section picks a library folder; everything else picks an export folder.
    const words = purpose === 'library' ? { title: 'Choose a library folder', buttonLabel: 'Choose' } : { title: 'Export to folder', buttonLabel: 'Export here' }
    const result = await deps.dialog.showOpenDialog(win, { ...words, properties: ['openDirectory', 'createDirectory'] })
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
  return () => deps.ipcMain.removeHandler(PICK_FOLDER_CHANNEL)
}
