import type { ReactNode } from 'react'
import { GalleryPanel } from '../components/gallery/GalleryPanel'
import { GeneratePanel } from '../components/GeneratePanel'
import { QueuePanel } from '../components/QueuePanel'

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
