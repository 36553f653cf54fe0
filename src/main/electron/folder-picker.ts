/**
 * The native "choose a folder" dialog for exports: the one thing an export needs that the
 * engine cannot do (it never imports electron). One channel, answered only for our own window's
 * app page; it returns a path the user picked or null, and the engine still checks that path.
 */
import type { BrowserWindow, Dialog, IpcMain } from 'electron'
import { isAppUrl, type AppLocation } from './app-location'

/** The preload repeats this string (it cannot import at runtime). */
export const PICK_FOLDER_CHANNEL = 'proofsheet:pick-folder'

export function registerFolderPicker(deps: {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  dialog: Pick<Dialog, 'showOpenDialog'>
  app: AppLocation
  window(): BrowserWindow | null
}): () => void {
  deps.ipcMain.handle(PICK_FOLDER_CHANNEL, async (event) => {
    const win = deps.window()
    if (!win || event.sender.id !== win.webContents.id || !isAppUrl(event.senderFrame?.url ?? '', deps.app)) return null
    const result = await deps.dialog.showOpenDialog(win, {
      title: 'Export to folder',
      buttonLabel: 'Export here',
      properties: ['openDirectory', 'createDirectory'],
    })
    return result.canceled ? null : (result.filePaths[0] ?? null)
  })
  return () => deps.ipcMain.removeHandler(PICK_FOLDER_CHANNEL)
}
