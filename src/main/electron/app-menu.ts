/**
 * The application menu, ours alone: built from (platform, development or not, actions) by a pure
 * function, so every item, role and accelerator is tested under Node. Nothing of Electron's
 * default menu is kept (its Help links to electronjs.org, its Reload and developer tools in a
 * shipped app). What the window must do goes to it as an AppCommand; what main does (open the
 * library folder, check for updates, open a help page) is an action passed in.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { AppCommand } from '../../shared/api/desktop'

export interface AppMenuActions {
  /** Hands a command to the window (New batch, Export, Theme). */
  send(command: AppCommand): void
  /** Another library folder (Settings' library section owns the choice; main wires it). */
  openLibrary(): void
  checkForUpdates(): void
  openReadme(): void
  openSecurity(): void
  reportProblem(): void
  revealLogs(): void
}

export interface AppMenuInput {
  readonly platform: NodeJS.Platform
  /** Development build: Reload and the developer tools are offered; never in a shipped app. */
  readonly isDev: boolean
  /** openLibrary and checkForUpdates may be left out until their owners wire them: they do nothing. */
  readonly actions: Omit<AppMenuActions, 'openLibrary' | 'checkForUpdates'> & Partial<Pick<AppMenuActions, 'openLibrary' | 'checkForUpdates'>>
}

export const APP_NAME = 'Proofsheet'
const noop = (): void => {}

export function buildAppMenuTemplate({ platform, isDev, actions }: AppMenuInput): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const openLibrary = actions.openLibrary ?? noop
  const checkForUpdates = actions.checkForUpdates ?? noop
  const theme = (value: 'light' | 'dark' | 'system', label: string): MenuItemConstructorOptions => ({
    label,
    click: () => actions.send({ kind: 'theme', theme: value }),
  })

  const appMenu: MenuItemConstructorOptions = {
    label: APP_NAME,
    submenu: [
      { role: 'about', label: `About ${APP_NAME}` },
      { label: 'Check for Updates…', click: () => checkForUpdates() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide', label: `Hide ${APP_NAME}` },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', label: `Quit ${APP_NAME}` },
    ],
  }

  const file: MenuItemConstructorOptions = {
    label: mac ? 'File' : '&File',
    submenu: [
      { label: 'New Batch…', accelerator: 'CmdOrCtrl+N', click: () => actions.send({ kind: 'new-batch' }) },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.send({ kind: 'export' }) },
      { type: 'separator' },
      { label: 'Open Library Folder…', accelerator: 'CmdOrCtrl+O', click: () => openLibrary() },
      // macOS quits from the app menu; elsewhere File ends with Quit (Ctrl+Q, as on Linux desktops).
      ...(mac ? [{ role: 'close' } as const] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' } as const]),
    ],
  }

  const edit: MenuItemConstructorOptions = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: mac ? 'View' : '&View',
    submenu: [
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'resetZoom' },
      { type: 'separator' },
      { label: 'Theme', submenu: [theme('light', 'Light'), theme('dark', 'Dark'), theme('system', 'System')] },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(isDev ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  }

  const windowMenu: MenuItemConstructorOptions = {
    label: mac ? 'Window' : '&Window',
    role: 'windowMenu',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  }

  const help: MenuItemConstructorOptions = {
    label: mac ? 'Help' : '&Help',
    // role 'help' on macOS gives the menu its search field, and nothing else of Electron's.
    ...(mac ? { role: 'help' as const } : {}),
    submenu: [
      { label: `${APP_NAME} README`, click: () => actions.openReadme() },
      { label: 'Security Notes', click: () => actions.openSecurity() },
      { type: 'separator' },
      { label: 'Report a Problem…', click: () => actions.reportProblem() },
      { label: 'Reveal Logs', click: () => actions.revealLogs() },
      { type: 'separator' },
      { label: 'Check for Updates…', click: () => checkForUpdates() },
      // On macOS About sits in the app menu, as Mac apps have it.
      ...(mac ? [] : [{ role: 'about', label: `About ${APP_NAME}` } as const]),
    ],
  }

  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help]
}
