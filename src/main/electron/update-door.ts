/**
 * The window's view of the updater: its state, "check now" and "restart to update", on one invoke
 * channel answered only after the same sender check as every IPC call, and state changes pushed on
 * a second channel. The decisions stay in core/updates; this only relays.
 */
import type { BrowserWindow } from 'electron'
import type { UpdateState } from '../../shared/updates/update-state'
import type { AppLocation } from './app-location'
import type { IpcMainLike } from './ipc-adapter'
import { checkInvokeEvent } from './sender-check'

/** The preload repeats these strings (it cannot import at runtime); its test keeps them equal. */
export const UPDATES_CHANNEL = 'proofsheet:updates'
export const UPDATE_STATE_CHANNEL = 'proofsheet:update-state'

export function registerUpdateDoor(deps: {
  ipcMain: IpcMainLike
  app: AppLocation
  window(): BrowserWindow | null
  updates: { state(): UpdateState; checkForUpdates(): Promise<void>; restartToUpdate(): void }
  log?: (message: string) => void
}): { push(state: UpdateState): void; dispose(): void } {
  const log = deps.log ?? ((message: string) => console.warn(message))
  deps.ipcMain.handle(UPDATES_CHANNEL, async (event, action: unknown) => {
    const win = deps.window()
    const verdict = win ? checkInvokeEvent(event, [win.webContents], deps.app) : null
    if (!win || !verdict?.ok) {
      log(`[ipc] refused updates: ${verdict && !verdict.ok ? verdict.reason : 'there is no Proofsheet window'}`)
      return null
    }
    if (action === 'check') void deps.updates.checkForUpdates()
    else if (action === 'restart') deps.updates.restartToUpdate()
    return deps.updates.state()
  })
  return {
    push: (state) => {
      const win = deps.window()
      if (win && !win.isDestroyed()) win.webContents.send(UPDATE_STATE_CHANNEL, state)
    },
    dispose: () => deps.ipcMain.removeHandler(UPDATES_CHANNEL),
  }
}
