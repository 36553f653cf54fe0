import { useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import './modal-dialog.css'

export interface ModalDialogProps {
  /** Id of the dialog's heading (its accessible name). */
  labelledBy: string
  onClose(): void
  className?: string
  children: ReactNode
}

/**
 * A modal <dialog>: the rest of the page is inert while it is open, Escape and a click on the
 * backdrop close it, and focus goes back where it was. Rendered into <body>, so it never counts
 * as part of the region that opened it. The element with `data-autofocus` gets focus first.
 */
export function ModalDialog({ labelledBy, onClose, className, children }: ModalDialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // jsdom has no showModal; the open attribute shows it there.
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal()
    } else {
      dialog.setAttribute('open', '')
    }
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    return () => {
      const focusWasHere = dialog.contains(document.activeElement) || document.activeElement === document.body
      if (typeof dialog.close === 'function' && dialog.open) dialog.close()
      // Back to where the user was, unless an action already sent focus somewhere on purpose.
      if (focusWasHere && previous?.isConnected) previous.focus()
    }
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.key !== 'Escape') return
    // Handled here (not by the native cancel) so a dialog over a dialog closes only itself.
    event.preventDefault()
    event.stopPropagation()
    onClose()
  }
  const onClick = (event: MouseEvent<HTMLDialogElement>): void => {
    if (event.target === event.currentTarget) onClose()
  }

  return createPortal(
    <dialog
      ref={ref}
      className={`modal-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={labelledBy}
      aria-modal="true"
      onKeyDown={onKeyDown}
      onClick={onClick}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      {children}
    </dialog>,
    document.body,
  )
}
