import type { ReactNode } from 'react'
import { GalleryPanel } from '../gallery/GalleryPanel'
import { GeneratePanel } from '../generate/GeneratePanel'
import { QueuePanel } from '../queue/QueuePanel'

/** Generate on the left; the queue and the gallery it fills on the right. */
export function WorkspaceView(): ReactNode {
  return (
    <main className="workspace">
      <GeneratePanel />
      <div className="workspace-main">
        <QueuePanel />
        <GalleryPanel />
      </div>
    </main>
  )
}
