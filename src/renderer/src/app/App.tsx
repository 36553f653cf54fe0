import type { ReactNode } from 'react'
import type { ApiClient } from '../../../shared/api'
import { QueueStrip } from '../queue/QueueStrip'
import { useTitleProgress } from '../queue/use-title-progress'
import { SettingsView } from '../settings/SettingsView'
import { SpendView } from '../spend/SpendView'
import { AppNotice, useAppCommands, type AppCommandSource } from './app-commands'
import { StoresProvider, useView } from './stores-context'
import { ThemeControl, useAppliedTheme } from './ThemeControl'
import type { ViewId } from './view-store'
import { WorkspaceView } from './WorkspaceView'

const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: 'workspace', label: 'Workspace' },
  { id: 'spend', label: 'Spend' },
  { id: 'settings', label: 'Settings' },
]

/** `commands`: the desktop app's menu commands and notices (the preload's onCommand); absent in a browser. */
export function App({ api, commands }: { api: ApiClient; commands?: AppCommandSource }): ReactNode {
  return (
    <StoresProvider api={api}>
      <Shell commands={commands} />
    </StoresProvider>
  )
}

/**
 * A slim header (views, the queue strip, the theme) over the view. The workspace stays mounted
 * so switching away never loses a draft or the gallery's scroll position.
 */
function Shell({ commands }: { commands: AppCommandSource | undefined }): ReactNode {
  const view = useView((s) => s.view)
  const show = useView((s) => s.show)
  useAppCommands(commands)
  useAppliedTheme()
  useTitleProgress()
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Proofsheet</h1>
        <nav className="segmented" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => show(v.id)}
            >
              {v.label}
            </button>
          ))}
        </nav>
        <div className="app-header-end">
          <QueueStrip />
          <ThemeControl />
        </div>
      </header>
      <AppNotice />
      <div hidden={view !== 'workspace'} className="view view-workspace">
        <WorkspaceView />
      </div>
      {view === 'spend' ? <div className="view view-scroll"><SpendView /></div> : null}
      {view === 'settings' ? <div className="view view-scroll"><SettingsView /></div> : null}
    </div>
  )
}
