import type { ReactNode } from 'react'
import type { ApiClient } from '../../../shared/api'
import { StoresProvider, useView } from './stores-context'
import type { ViewId } from './view-store'
import { SettingsView } from '../settings/SettingsView'
import { SpendView } from '../spend/SpendView'
import { WorkspaceView } from './WorkspaceView'

const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: 'workspace', label: 'Workspace' },
  { id: 'spend', label: 'Spend' },
  { id: 'settings', label: 'Settings' },
]

export function App({ api }: { api: ApiClient }): ReactNode {
  return (
    <StoresProvider api={api}>
      <Shell />
    </StoresProvider>
  )
}

/** The header with the view switcher, and the view. The workspace stays mounted so switching away never loses a draft. */
function Shell(): ReactNode {
  const view = useView((s) => s.view)
  const show = useView((s) => s.show)
  return (
    <div className="app">
      <header className="app-header">
        <h1>Proofsheet</h1>
        <p className="app-tagline">Image production lane</p>
        <nav className="app-nav" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className="app-nav-item"
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => show(v.id)}
            >
              {v.label}
            </button>
          ))}
        </nav>
      </header>
      <div hidden={view !== 'workspace'} className="view">
        <WorkspaceView />
      </div>
      {view === 'spend' ? <SpendView /> : null}
      {view === 'settings' ? <SettingsView /> : null}
    </div>
  )
}
