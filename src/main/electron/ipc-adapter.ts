/**
 * The Electron door into the engine: the only place that answers engine calls over IPC (the
 * folder picker is the one other handler, and ipc-inventory.test.ts keeps it that way). It relays
 * (name, input) to the router untouched (the router validates) and pushes engine events to the
 * attached windows. Every call is first checked (sender-check.ts) to come from our own window's
 * app page; a refusal is an error Result, never a throw. Do not add channels here: add routes to
 * the contract. The one exception is the desktop channel, for what only Electron can do
 * (clipboard, file manager, OS drag); it passes the same sender check and hands a known action
 * and a string to the DesktopDoor.
 */
import { DESKTOP_ACTIONS, type DesktopAction, type DesktopResult } from '../../shared/api/desktop'
import type { Result } from '../../shared/api/errors'
import type { EventMessage } from '../../shared/api/events'
import type { Router } from '../../shared/api/router'
import { isAppUrl, type AppLocation } from './app-location'
import { checkInvokeEvent, type FrameLike, type InvokeEventLike } from './sender-check'


/** The preload repeats these two strings (it cannot import at runtime); a test keeps them equal. */
export const CALL_CHANNEL = 'proofsheet:call'
export const EVENT_CHANNEL = 'proofsheet:event'
export const DESKTOP_CHANNEL = 'proofsheet:desktop'

const REFUSAL = 'Refused: this call did not come from the Proofsheet window.'
export const REFUSED: Result<never> = { ok: false, error: { code: 'bad_input', message: REFUSAL } }

/** The parts of Electron's WebContents the adapter uses, so tests can hand it a fake window. */
export interface WindowContents {
  readonly id: number
  readonly mainFrame: FrameLike
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
  once(event: 'destroyed', listener: () => void): unknown
}

/** Runs a desktop action for a checked sender; `relPath` is untrusted and must be resolved safely. */
export interface DesktopDoor {
  run(action: DesktopAction, relPath: string, sender: InvokeEventLike['sender']): Promise<DesktopResult>
}

/** The parts of Electron's ipcMain the adapter uses (Electron's own ipcMain satisfies it). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export interface IpcAdapterDeps {
  readonly ipcMain: IpcMainLike
  readonly router: Router
  readonly app: AppLocation
  /** Omit to offer no desktop actions (every desktop call is then refused). */
  readonly desktop?: DesktopDoor
  readonly log?: (message: string) => void
}

export interface IpcAdapter {
  /** Lets this window call the engine and receive its events until its webContents is destroyed. */
  attach(contents: WindowContents): void
  /** Removes the handler and every event subscription (app shutdown). */
  dispose(): void
}

export function createIpcAdapter(deps: IpcAdapterDeps): IpcAdapter {
  const log = deps.log ?? ((message: string) => console.warn(message))
  const windows = new Map<number, { contents: WindowContents; unsubscribe: () => void }>()

  const allowed = (event: InvokeEventLike, label: string): boolean => {
    const verdict = checkInvokeEvent(event, [...windows.values()].map((w) => w.contents), deps.app)
    if (!verdict.ok) log(`[ipc] refused ${label}: ${verdict.reason}`)
    return verdict.ok
  }

  const handleDesktop = async (event: InvokeEventLike, action: unknown, relPath: unknown): Promise<DesktopResult> => {
    if (!isDesktopAction(action) || typeof relPath !== 'string') {
      return { ok: false, message: 'Refused: not a desktop action this app offers.' }
    }
    if (!allowed(event, `desktop ${action}`)) return { ok: false, message: REFUSAL }
    if (!deps.desktop) return { ok: false, message: 'This window offers no desktop actions.' }
    try {
      return await deps.desktop.run(action, relPath, event.sender)
    } catch (err) {
      log(`[ipc] desktop ${action} failed: ${err instanceof Error ? err.stack : String(err)}`)
      return { ok: false, message: `Could not ${action === 'copyImage' ? 'copy the image' : action === 'revealInFolder' ? 'show the file' : 'drag the file'}.` }
    }
  }

  const handleCall = async (event: InvokeEventLike, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const label = typeof name === 'string' ? name.slice(0, 80) : 'a call'
    if (!allowed(event, label)) return REFUSED
    try {
      return await deps.router.handle(name, input)
    } catch (err) {
      // The router promises not to throw; if it ever does, the renderer still gets a Result.
      log(`[ipc] router threw on ${label}: ${err instanceof Error ? err.stack : String(err)}`)
      return { ok: false, error: { code: 'internal', message: 'The engine failed unexpectedly. Details are in the log.' } }
    }
  }

  deps.ipcMain.handle(CALL_CHANNEL, (event, name, input) => handleCall(event, name, input))
  deps.ipcMain.handle(DESKTOP_CHANNEL, (event, action, relPath) => handleDesktop(event, action, relPath))

  const detach = (id: number): void => {
    windows.get(id)?.unsubscribe()
    windows.delete(id)
  }

  return {
    attach(contents) {
      if (windows.has(contents.id) || contents.isDestroyed()) return
      const forward = (message: EventMessage): void => {
        // Only a live window still showing our page gets engine events.
        if (contents.isDestroyed() || !isAppUrl(contents.mainFrame.url, deps.app)) return
        contents.send(EVENT_CHANNEL, message)
      }
      const unsubscribe = deps.router.subscribe(forward)
      windows.set(contents.id, { contents, unsubscribe })
      contents.once('destroyed', () => detach(contents.id))
    },
    dispose() {
      deps.ipcMain.removeHandler(CALL_CHANNEL)
      deps.ipcMain.removeHandler(DESKTOP_CHANNEL)
      for (const id of [...windows.keys()]) detach(id)
    },
  }
}

function isDesktopAction(value: unknown): value is DesktopAction {
  return (DESKTOP_ACTIONS as readonly unknown[]).includes(value)
}
