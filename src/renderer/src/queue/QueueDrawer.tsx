import { useEffect, useRef, type ReactNode } from 'react'
import { useLayout, useStores } from '../app/stores-context'
import { QueuePanel } from './QueuePanel'
import './queue-drawer.css'

/**
 * The full queue in a drawer over the gallery's right edge. It stays mounted while closed
 * (hidden), so batch notifications and the list's expanded groups keep working; opening it moves focus into it, Escape or Close hands focus back to the strip.
 */
export function QueueDrawer(): ReactNode {
  const stores = useStores()
  const open = useLayout((s) => s.queueOpen)
  const ref = useRef<HTMLDivElement>(null)
  const wasOpen = useRef(open)

  useEffect(() => {
    if (open && !wasOpen.current) ref.current?.querySelector<HTMLElement>('.queue-drawer-close')?.focus()
    if (!open && wasOpen.current && ref.current?.contains(document.activeElement)) {
      document.querySelector<HTMLElement>('.queue-strip')?.focus()
    }
    wasOpen.current = open
  }, [open])

  const close = (): void => stores.layout.getState().setQueueOpen(false)
  return (
    <div
      ref={ref}
      id="queue-drawer"
      className="queue-drawer"
      hidden={!open}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault()
          close()
        }
      }}
    >
      <button type="button" className="icon-button queue-drawer-close" aria-label="Close the queue" title="Close (Esc)" onClick={close}>
        ✕
      </button>
      <QueuePanel />
    </div>
  )
}
