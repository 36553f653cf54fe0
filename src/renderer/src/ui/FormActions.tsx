import type { ReactNode } from 'react'

/**
 * The buttons at a form's foot: an optional way back (Cancel, Keep it) and the one action. The
 * action submits the form, unless `onAct` is given (a question that is not a form, e.g. "Remove
 * key?"). While `busy` it is disabled and may say so.
 */
export interface FormActionsProps {
  action: string
  busy?: boolean
  /** What the action says while busy; by default it keeps its words. */
  busyAction?: string
  disabled?: boolean
  onCancel?(): void
  cancel?: string
  onAct?(): void
  tone?: 'accent' | 'danger'
}

export function FormActions({ action, busy = false, busyAction, disabled = false, onCancel, cancel = 'Cancel', onAct, tone = 'accent' }: FormActionsProps): ReactNode {
  return (
    <div className="form-actions">
      {onCancel ? (
        <button type="button" className="button-quiet" onClick={onCancel}>
          {cancel}
        </button>
      ) : null}
      <button
        type={onAct ? 'button' : 'submit'}
        className={tone === 'danger' ? 'button-danger-solid' : 'button-accent'}
        disabled={busy || disabled}
        onClick={onAct}
      >
        {busy && busyAction ? busyAction : action}
      </button>
    </div>
  )
}
