/**
 * The security-relevant options of the Proofsheet window, kept apart from window.ts so a test
 * can assert them under plain Node. Every switch here is deliberate; do not relax one to make a
 * feature work: route the feature through the preload's contract instead.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'

export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    experimentalFeatures: false,
    // A file dropped outside the drop zone must not replace the app with file://.
    navigateOnDragDrop: false,
    safeDialogs: true,
  }
}

export function buildWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    title: 'Proofsheet',
    // Linux takes the window icon from here; macOS and Windows from the app bundle.
    ...(iconPath ? { icon: iconPath } : {}),
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1b1b1f',
    webPreferences: buildWebPreferences(preloadPath),
  }
}
