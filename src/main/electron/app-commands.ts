/**
 * Main → window: the one message main sends on its own (menu commands, notices after a crash).
 * The preload listens from its first line and holds what arrives before the page subscribes, so
 * a notice sent as the reloaded page finishes loading is not lost. Sent only to a live window
 * still showing our own page, as engine events are.
 */
import type { AppCommand } from '../../shared/api/desktop'
import { isAppUrl, type AppLocation } from './app-location'
import type { WindowContents } from './ipc-adapter'

/** The preload repeats this string (it cannot import at runtime); preload.test.ts keeps them equal. */
export const APP_COMMAND_CHANNEL = 'proofsheet:command'

export function sendAppCommand(contents: Pick<WindowContents, 'isDestroyed' | 'send' | 'mainFrame'> | null | undefined, app: AppLocation, command: AppCommand): boolean {
  if (!contents || contents.isDestroyed() || !isAppUrl(contents.mainFrame.url, app)) return false
  contents.send(APP_COMMAND_CHANNEL, command)
  return true
}
