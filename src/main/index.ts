/**
 * Electron entry point: a thin shell around the engine. It owns the app lifecycle (one
 * instance, one engine, closed on quit) and wires the three Electron-only pieces in
 * src/main/electron: the window, the IPC adapter and the media protocol. No product logic here.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron'
import { connectionCostOf } from '../shared/updates/connection-cost'
import {
  createEngine,
  crashNoteNotice,
  defaultConfigFolder,
  installCrashHandlers,
  logFolder,
  openDoorLog,
  openLibraryHost,
  RecentLibraries,
  recentLibrariesFile,
  startLibraryHome,
  takeCrashNote,
  type Engine,
  type LibraryHost,
} from './core'
import { sendAppCommand } from './electron/app-commands'
import { buildAppMenuTemplate } from './electron/app-menu'
import { resolveAppLocation } from './electron/app-location'
import { hardenSession, hardenWebContents } from './electron/content-guards'
import { contentSecurityPolicy } from './electron/csp'
import { createDesktopDoor } from './electron/desktop-door'
import { createExternalLinkOpener } from './electron/external-links'
import { registerFolderPicker } from './electron/folder-picker'
import { createIpcAdapter, type IpcAdapter } from './electron/ipc-adapter'
import { handleMediaProtocol, registerMediaScheme } from './electron/media-protocol'
import { systemTrash } from './electron/os-trash'
import { safeStorageEncryptor } from './electron/safe-storage'
import { createMainWindow } from './electron/window'
import { showQueueOnDesktop } from './electron/queue-desktop'
import { createRendererCrashGuard } from './electron/renderer-crashes'
import { watchRenderer } from './electron/window-recovery'
import { registerUpdateDoor } from './electron/update-door'
import { createAppUpdates } from './electron/updates'

/** How long quitting waits for the engine to finish its writes before giving up. */
const ENGINE_CLOSE_TIMEOUT_MS = 10_000

// The log file first, so even a failed start is written down (redacted: core/logs). An uncaught
// error leaves a crash note there, which the next start shows once.
// One folder for all three doors (core/logs/log-folder.ts), whatever name Electron would derive
// from package.json; Electron's own 'logs' path is pointed at it too.
app.setAppLogsPath(logFolder({ platform: process.platform, env: process.env, home: app.getPath('home') }))
const logDir = app.getPath('logs')
const log = openDoorLog({ fileName: 'main.log', dir: logDir, echo: (level, args) => console[level](...args) })
// The log file is made at its first line; the menu's "open the logs folder" needs the folder now.
mkdirSync(logDir, { recursive: true })
installCrashHandlers({ dir: logDir, redact: (text) => log.redactor.redact(text), log: (...args) => log.error(...args) })
const lastCrash = takeCrashNote(logDir)

// Both must happen before `ready`.
registerMediaScheme(protocol)
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // Another Proofsheet owns the library (and its queue); it gets focused via `second-instance`.
  app.quit()
} else {
  run()
}

function run(): void {
  const location = resolveAppLocation({
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    indexHtmlPath: join(import.meta.dirname, '../renderer/index.html'),
  })
  const preloadPath = join(import.meta.dirname, '../preload/index.cjs')
  const iconPath = join(import.meta.dirname, '../../resources/icon.png')

  let enginePromise: Promise<{ close(): Promise<void> }> | null = null
  let adapter: IpcAdapter | null = null
  let mainWindow: BrowserWindow | null = null
  let closed = false
  let stopDesktopQueue: (() => void) | null = null
  let libraryHost: Pick<LibraryHost<Engine>, 'router'> | null = null

  const openExternal = createExternalLinkOpener({ shell, log: (m) => log.warn(m) })
  const crashGuard = createRendererCrashGuard({ now: () => Date.now(), logFolder: logDir })
  let startNotices = lastCrash ? [crashNoteNotice(lastCrash)] : []
  // File → Open Library Folder…: the same switch as Settings → Library, with the OS folder dialog.
  // A refusal (jobs running, not a library, damaged) is said in a dialog; the current library stays.
  const openAnotherLibrary = async (): Promise<void> => {
    if (!libraryHost) return
    const options = { title: 'Open a library folder', properties: ['openDirectory' as const] }
    const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options)
    const path = picked.canceled ? undefined : picked.filePaths[0]
    if (!path) return
    const result = await libraryHost.router.handle('library.open', { path })
    if (result.ok) mainWindow?.webContents.reload()
    else void dialog.showMessageBox({ type: 'warning', message: result.error.message, detail: result.error.fix ?? '' })
  }
  const openInOs = (path: string): void => {
    void shell.openPath(path).then((problem) => problem && log.warn(`[menu] could not open ${path}: ${problem}`))
  }
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { app: location, openExternal }))

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  const openWindow = (): void => {
    if (!adapter) return
    const win = createMainWindow({ app: location, preloadPath, iconPath, log: (...args) => log.warn(...args) })
    adapter.attach(win.webContents)
    watchRenderer(win.webContents, {
      guard: crashGuard,
      send: (command) => sendAppCommand(win.webContents, location, command),
      log: (...args) => log.error(...args),
      initialNotices: startNotices,
    })
    startNotices = []
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null
    })
    mainWindow = win
  }

  const start = async (): Promise<void> => {
    hardenSession(
      session.defaultSession,
      contentSecurityPolicy(location.kind === 'dev-server' ? { devServerOrigin: location.origin } : {}),
    )
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildAppMenuTemplate({
          platform: process.platform,
          isDev: !app.isPackaged,
          actions: {
            send: (command) => void sendAppCommand(mainWindow?.webContents, location, command),
            openLibrary: () => void openAnotherLibrary(),
            checkForUpdates: () => void updates.checkForUpdates(),
            openReadme: () => openInOs(join(app.getAppPath(), 'README.md')),
            openSecurity: () => openInOs(join(app.getAppPath(), 'SECURITY.md')),
            // No issue tracker is named yet: the logs to attach, and the user's own mail or chat.
            reportProblem: () => {
              openInOs(logDir)
              void dialog.showMessageBox({
                type: 'info',
                message: 'Report a problem',
                detail: `Describe what you did and what happened, and attach main.log from the folder just opened (${logDir}). Keys are never written to it.`,
              })
            },
            revealLogs: () => openInOs(logDir),
          },
        }),
      ),
    )
    // safeStorage is only meaningful after `ready`, which is why the engine starts here.
    // The library host holds the open library so Settings can switch it; everything below reads
    // the folder through it (getters), never a copy taken at start.
    const recent = new RecentLibraries(recentLibrariesFile(defaultConfigFolder()))
    const hostPromise = openLibraryHost({
      home: startLibraryHome({ lastOpened: recent.lastOpened() }),
      recent,
      runQueue: true,
      openEngine: (home, library) =>
        createEngine({ home, library, log, encryptor: safeStorageEncryptor(safeStorage), trash: systemTrash(shell) }),
    })
    enginePromise = hostPromise
    const host = await hostPromise
    if (closed) return
    const library = {
      get home(): string {
        return host.home()
      },
    }
    stopDesktopQueue = showQueueOnDesktop({ router: host.router, window: () => mainWindow })
    handleMediaProtocol(protocol, library)
    const desktop = createDesktopDoor({
      get home(): string {
        return host.home()
      },
      shell,
      clipboard,
      ClipboardItem,
      dragIcon: iconPath,
    })
    adapter = createIpcAdapter({ ipcMain, router: host.router, app: location, desktop, log: (m) => log.warn(m) })
    libraryHost = host
    registerFolderPicker({ ipcMain, dialog, app: location, window: () => mainWindow })
    updateDoor = registerUpdateDoor({ ipcMain, app: location, window: () => mainWindow, updates })
    openWindow()
    void updates.checkOnStart()
  }

  // Help → "Check for updates" calls updates.checkForUpdates (the menu's actions.checkForUpdates).
  let updateDoor: ReturnType<typeof registerUpdateDoor> | null = null
  const updates = createAppUpdates({
    changed: (state) => updateDoor?.push(state),
    env: process.env,
    packagedFeed: app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml')),
    // Loaded only here, when a feed is configured: with none, the module is never loaded.
    loadUpdater: async () => (await import('electron-updater')).autoUpdater,
    // Chromium's Network Information API, read in the page; no window or no API: unknown (ask).
    connection: async () =>
      connectionCostOf(
        mainWindow && !mainWindow.isDestroyed()
          ? await mainWindow.webContents
              .executeJavaScript('(() => { const c = navigator.connection; return c ? { saveData: c.saveData, type: c.type } : null })()')
              .catch(() => null)
          : null,
      ),
    ask: async (message) => {
      const options = { type: 'question' as const, message, buttons: ['Download', 'Later'], defaultId: 1, cancelId: 1 }
      const answer = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options)
      return answer.response === 0 ? 'download' : 'later'
    },
    tell: (message, trigger) => {
      if (trigger === 'manual') void dialog.showMessageBox({ type: 'info', message })
      else log.info(`[updates] ${message}`)
    },
    log: (message) => log.warn(message),
  })

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('will-quit', (event) => {
    if (closed || !enginePromise) return
    // Hold the quit until the engine has stopped the queue and closed the database.
    event.preventDefault()
    closed = true
    adapter?.dispose()
    stopDesktopQueue?.()
    void closeEngine(enginePromise).finally(() => app.quit())
  })

  app.whenReady().then(start).catch(async (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    log.error('[app] could not start:', err)
    dialog.showErrorBox('Proofsheet could not start', message)
    closed = true
    if (enginePromise) await closeEngine(enginePromise)
    app.exit(1)
  })
}

async function closeEngine(enginePromise: Promise<{ close(): Promise<void> }>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.error(`[app] the engine did not close within ${ENGINE_CLOSE_TIMEOUT_MS} ms; quitting anyway`)
      resolve()
    }, ENGINE_CLOSE_TIMEOUT_MS)
  })
  const close = enginePromise
    .then((engine) => engine.close())
    .catch((err: unknown) => log.error('[app] closing the engine failed:', err))
  await Promise.race([close, timeout])
  clearTimeout(timer)
}
