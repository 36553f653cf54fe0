import { useEffect, type ReactNode } from 'react'
import type { AppCommand } from '../../../shared/api/desktop'
import { useStores, useView } from './stores-context'

/**
 * The desktop app's menu and notices reach the interface here (the preload's onCommand; browser
 * mode has none). The menu's New batch and Export open the same dialogs as their buttons do.
 */
export type AppCommandSource = (listener: (command: AppCommand) => void) => () => void

export function useAppCommands(source: AppCommandSource | undefined): void {
  const stores = useStores()
  useEffect(() => {
    if (!source) return
    return source((command) => {
      const view = stores.view.getState()
      if (command.kind === 'theme') stores.layout.getState().setTheme(command.theme)
      else if (command.kind === 'notice') view.notify(command.text)
      else view.requestDialog(command.kind)
    })
  }, [source, stores])
}

/** The oldest notice not yet dismissed, as a status message the screen reader announces. */
export function AppNotice(): ReactNode {
  const notice = useView((s) => s.notices[0])
  const dismiss = useView((s) => s.dismissNotice)
  if (!notice) return null
  return (
    <div className="app-notice" role="status" aria-label="Notice">
      <span>{notice}</span>
      <button type="button" className="button-quiet" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  )
}

/** Opens a dialog when the menu asks for it: call with the button's own opener. */
export function useMenuRequest(kind: 'new-batch' | 'export' | 'none', open: () => void): void {
  const request = useView((s) => s.menuRequest)
  useEffect(() => {
    if (request?.kind === kind) open()
    // Only a new request opens it (`open` is a fresh function on every render, so it is left out).
  }, [request, kind])
}
