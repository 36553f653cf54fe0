import type { ReactNode } from 'react'
import type { ApiClient } from '../../shared/api'
import { GalleryPanel } from './components/GalleryPanel'
import { GeneratePanel } from './components/GeneratePanel'
import { QueuePanel } from './components/QueuePanel'
import { StoresProvider } from './stores/stores-context'

export function App({ api }: { api: ApiClient }): ReactNode {
  return (
    <StoresProvider api={api}>
      <div className="app">
        <header className="app-header">
          <h1>Proofsheet</h1>
          <p className="app-tagline">Image production lane</p>
        </header>
        <main className="workspace">
          <GeneratePanel />
          <div className="workspace-main">
            <QueuePanel />
            <GalleryPanel />
          </div>
        </main>
      </div>
    </StoresProvider>
  )
}
