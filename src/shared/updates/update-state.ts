/**
 * What the desktop app's updater is doing, as Settings shows it. Only the Electron shell has an
 * updater; browser mode has none and shows no Updates section.
 */
export type UpdateState =
  /** No feed is configured: no call is ever made. */
  | { readonly stage: 'off'; readonly message: string | null }
  | { readonly stage: 'idle'; readonly message: string | null }
  | { readonly stage: 'checking' }
  /** Waiting for the person's answer (a metered or unknown connection). */
  | { readonly stage: 'available'; readonly version: string; readonly message: string }
  | { readonly stage: 'downloading'; readonly version: string; readonly percent: number }
  | { readonly stage: 'ready'; readonly version: string }
  | { readonly stage: 'failed'; readonly message: string }

/** What the window may ask of the updater, through the preload's `updates`. */
export interface UpdateCapabilities {
  state(): Promise<UpdateState>
  /** Same as Help → Check for updates. */
  check(): Promise<void>
  /** Quits and installs a downloaded update. */
  restart(): Promise<void>
  onState(listener: (state: UpdateState) => void): () => void
}
