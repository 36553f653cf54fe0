import { useEffect } from 'react'
import { progressTitle } from '../../../shared/queue/work-progress'
import { useQueue } from '../app/stores-context'

/**
 * The window title carries the progress, so it shows in the tab and the taskbar while you work
 * elsewhere. Used by the app's shell: it must run whether or not the queue drawer is open.
 */
export function useTitleProgress(): void {
  const progress = useQueue((s) => s.progress)
  useEffect(() => {
    document.title = progressTitle(progress)
  }, [progress])
  useEffect(() => () => void (document.title = progressTitle(null)), [])
}
