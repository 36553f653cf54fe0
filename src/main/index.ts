/**
 * Electron entry point: a thin shell around the engine. It owns the app lifecycle (one
 * instance, one engine, closed on quit) and wires the three Electron-only pieces in
 * src/main/electron: the window, the IPC adapter and the media protocol. No product logic here.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'
import { connectionCostOf } from '../shared/updates/connection-cost'
import { createEngine, defaultConfigFolder, openLibraryHost, RecentLibraries, recentLibrariesFile, startLibraryHome } from './core'
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
import { registerUpdateDoor } from './electron/update-door'
import { createAppUpdates } from './electron/updates'

/** How long quitting waits for the engine to finish its writes before giving up. */
const ENGINE_CLOSE_TIMEOUT_MS = 10_000

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

  const openExternal = createExternalLinkOpener({ shell })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { app: location, openExternal }))

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  const openWindow = (): void => {
    if (!adapter) return
    const win = createMainWindow({ app: location, preloadPath, iconPath })
    adapter.attach(win.webContents)
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
    // safeStorage is only meaningful after `ready`, which is why the engine starts here.
    // The library host holds the open library so Settings can switch it; everything below reads
    // the folder through it (getters), never a copy taken at start.
    const recent = new RecentLibraries(recentLibrariesFile(defaultConfigFolder()))
    const hostPromise = openLibraryHost({
      home: startLibraryHome({ lastOpened: recent.lastOpened() }),
      recent,
      runQueue: true,
      openEngine: (home, library) =>
        createEngine({ home, library, encryptor: safeStorageEncryptor(safeStorage), trash: systemTrash(shell) }),
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
    adapter = createIpcAdapter({ ipcMain, router: host.router, app: location, desktop })
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
      else console.info(`[updates] ${message}`)
    },
    log: (message) => console.warn(message),
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
    console.error('[app] could not start:', err)
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
      console.error(`[app] the engine did not close within ${ENGINE_CLOSE_TIMEOUT_MS} ms; quitting anyway`)
      resolve()
    }, ENGINE_CLOSE_TIMEOUT_MS)
  })
  const close = enginePromise
    .then((engine) => engine.close())
    .catch((err: unknown) => console.error('[app] closing the engine failed:', err))
  await Promise.race([close, timeout])
  clearTimeout(timer)
}
