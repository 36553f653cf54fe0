import type { ReactNode } from 'react'
import type { ErrorNoteData } from './format/error-note'

/**
 * A failed call, shown next to the control that made it: what happened, then what to do.
 * `onRetry` adds the usual "Try again" button; `action` is for anything else.
 */
export function ErrorNote({ error, action, onRetry }: { error: ErrorNoteData; action?: ReactNode; onRetry?: () => unknown }): ReactNode {
  return (
    <div className="error-note" role="alert">
      <p className="error-note-message">{error.message}</p>
      {error.fix ? <p className="error-note-fix">{error.fix}</p> : null}
      {onRetry ? (
        <button type="button" className="button-quiet" onClick={() => void onRetry()}>
          Try again
        </button>
      ) : null}
      {action}
    </div>
  )
}
