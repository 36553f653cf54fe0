import { useState, type ReactNode } from 'react'
import type { ApiClient } from '../../shared/api'
import { StoresProvider } from './stores/stores-context'
import { SettingsView } from './views/SettingsView'
import { SpendView } from './views/SpendView'
import { WorkspaceView } from './views/WorkspaceView'

/** The app's top-level views. The workspace stays mounted so switching away never loses a draft. */
const VIEWS = [
  { id: 'workspace', label: 'Workspace' },
  { id: 'spend', label: 'Spend' },
  { id: 'settings', label: 'Settings' },
] as const
type ViewId = (typeof VIEWS)[number]['id']

export function App({ api }: { api: ApiClient }): ReactNode {
  const [view, setView] = useState<ViewId>('workspace')
  return (
    <StoresProvider api={api}>
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
                onClick={() => setView(v.id)}
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
    </StoresProvider>
  )
}
