import type { ReactNode } from 'react'
import { GalleryPanel } from '../gallery/GalleryPanel'
import { GeneratePanel } from '../generate/GeneratePanel'
import { QueueDrawer } from '../queue/QueueDrawer'

/** The prompt bar pinned at the left, the gallery as the page, the queue in a drawer over it. */
export function WorkspaceView(): ReactNode {
  return (
    <main className="workspace">
      <GeneratePanel />
      <div className="workspace-stage">
        <GalleryPanel />
        <QueueDrawer />
      </div>
    </main>
  )
}
