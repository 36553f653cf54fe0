/**
 * The window's only way to the engine: a Transport (see src/shared/api/client.ts) over three IPC
 * channels and the media scheme, exposed as `window.proofsheet`. A sandboxed preload cannot load
 * other files, so this imports nothing but 'electron' at runtime (types only from shared), and the
 * channel names repeat ipc-adapter.ts's (a test keeps them equal). Expose nothing else here: the
 * `desktop` capabilities are part of the Transport, and main checks each of their calls as well.
 * One more channel only listens: main's AppCommands (the menu, notices; app-commands.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { Transport } from '../shared/api/client'
import type { AppCommand, DesktopAction, DesktopCapabilities, DesktopResult } from '../shared/api/desktop'
import type { Result } from '../shared/api/errors'
import type { EventMessage } from '../shared/api/events'
import type { UpdateCapabilities, UpdateState } from '../shared/updates/update-state'

const CALL_CHANNEL = 'proofsheet:call'
const EVENT_CHANNEL = 'proofsheet:event'
const DESKTOP_CHANNEL = 'proofsheet:desktop'
const MEDIA_BASE = 'proofsheet-media://library/'
const PICK_FOLDER_CHANNEL = 'proofsheet:pick-folder'
const UPDATES_CHANNEL = 'proofsheet:updates'
const UPDATE_STATE_CHANNEL = 'proofsheet:update-state'
const APP_COMMAND_CHANNEL = 'proofsheet:command'

/**
 * Commands from the app menu and notices from main. Listened for from the start and held until the
 * page subscribes: a notice sent as a reloaded page finishes loading must still be shown.
 */
const heldCommands: AppCommand[] = []
const commandListeners = new Set<(command: AppCommand) => void>()
ipcRenderer.on(APP_COMMAND_CHANNEL, (_event: IpcRendererEvent, command: AppCommand) => {
  if (commandListeners.size === 0) heldCommands.push(command)
  else for (const listener of commandListeners) listener(command)
})

/** Copy, reveal and drag go to main as (action, library-relative path); main checks both. */
async function desktopCall(action: DesktopAction, relPath: string): Promise<DesktopResult> {
  try {
    return (await ipcRenderer.invoke(DESKTOP_CHANNEL, action, relPath)) as DesktopResult
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) }
  }
}

const desktop: DesktopCapabilities = {
  copyImage: (relPath) => desktopCall('copyImage', relPath),
  revealInFolder: (relPath) => desktopCall('revealInFolder', relPath),
  startDrag: (relPath) => void desktopCall('startDrag', relPath),
}

/** The desktop updater (Settings' Updates section); main checks each call's sender. */
const updates: UpdateCapabilities = {
  state: async () => (await ipcRenderer.invoke(UPDATES_CHANNEL, 'state')) as UpdateState,
  check: async () => void (await ipcRenderer.invoke(UPDATES_CHANNEL, 'check')),
  restart: async () => void (await ipcRenderer.invoke(UPDATES_CHANNEL, 'restart')),
  onState(listener) {
    const relay = (_event: IpcRendererEvent, state: UpdateState): void => listener(state)
    ipcRenderer.on(UPDATE_STATE_CHANNEL, relay)
    return () => {
      ipcRenderer.removeListener(UPDATE_STATE_CHANNEL, relay)
    }
  },
}

const api = {
  /** Resolves to the engine's Result; never rejects, so the client sees one error shape. */
  async invoke(name: string, input: unknown): Promise<Result<unknown>> {
    try {
      return (await ipcRenderer.invoke(CALL_CHANNEL, name, input)) as Result<unknown>
    } catch (err) {
      // e.g. an input that cannot be cloned, or the engine failed to start and registered nothing.
      const detail = err instanceof Error ? err.message : String(err)
      return { ok: false, error: { code: 'unavailable', message: `The call ${name} could not reach the engine: ${detail}` } }
    }
  },

  subscribe(listener: (message: EventMessage) => void): () => void {
    // The IpcRendererEvent (with its sender) never reaches the page: only the message does.
    const relay = (_event: IpcRendererEvent, message: EventMessage): void => listener(message)
    ipcRenderer.on(EVENT_CHANNEL, relay)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay)
    }
  },

  /** The native folder dialog (exports, or a library folder); the chosen path, or null when the user canceled. */
  async pickFolder(purpose?: 'library'): Promise<string | null> {
    const path: unknown = purpose === 'library' ? await ipcRenderer.invoke(PICK_FOLDER_CHANNEL, purpose) : await ipcRenderer.invoke(PICK_FOLDER_CHANNEL)
    return typeof path === 'string' ? path : null
  },

  /** `images/2026/11/a b.png` → `proofsheet-media://library/images/2026/11/a%20b.png`. */
  mediaUrl(relPath: string): string {
    return MEDIA_BASE + String(relPath).split('/').map(encodeURIComponent).join('/')
  },

  desktop,

  /** The app menu's commands and main's notices; what arrived before this call is delivered first. */
  onCommand(listener: (command: AppCommand) => void): () => void {
    commandListeners.add(listener)
    for (const command of heldCommands.splice(0)) listener(command)
    return () => {
      commandListeners.delete(listener)
    }
  },
  updates,
} satisfies Transport & { pickFolder(purpose?: 'library'): Promise<string | null>; onCommand(listener: (command: AppCommand) => void): () => void; updates: UpdateCapabilities }

contextBridge.exposeInMainWorld('proofsheet', api)

export type PreloadApi = typeof api
