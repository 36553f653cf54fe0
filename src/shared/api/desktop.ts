/**
 * What only the desktop app can do for the interface: things a web page may not (put a file on
 * the OS clipboard, show it in the file manager, drag the file itself into another program).
 * The Electron preload provides it; in a browser it is absent and the interface offers what a
 * page can do instead. Paths are library-relative (ImageView.file); main checks them.
 */
export type DesktopResult = { ok: true } | { ok: false; message: string }

export interface DesktopCapabilities {
  copyImage(relPath: string): Promise<DesktopResult>
  revealInFolder(relPath: string): Promise<DesktopResult>
  /** Call from a dragstart handler (after preventDefault): the OS drag carries the file. */
  startDrag(relPath: string): void
}

export const DESKTOP_ACTIONS = ['copyImage', 'revealInFolder', 'startDrag'] as const
export type DesktopAction = (typeof DESKTOP_ACTIONS)[number]

/**
 * What the app's menu (and the crash handling) asks the window to do: main → renderer, one typed
 * message on its own channel through the preload. Only the Electron window receives these.
 */
export type AppCommand =
  | { readonly kind: 'new-batch' }
  | { readonly kind: 'export' }
  | { readonly kind: 'theme'; readonly theme: 'light' | 'dark' | 'system' }
  /** A sentence to show once, e.g. after a crash: the window was reloaded, or the app restarted. */
  | { readonly kind: 'notice'; readonly text: string }
