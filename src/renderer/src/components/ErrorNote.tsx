import type { ReactNode } from 'react'
import type { ErrorNoteData } from '../format/error-note'

/** A failed call, shown next to the control that made it: what happened, then what to do. */
export function ErrorNote({ error, action }: { error: ErrorNoteData; action?: ReactNode }): ReactNode {
  return (
    <div className="error-note" role="alert">
      <p className="error-note-message">{error.message}</p>
      {error.fix ? <p className="error-note-fix">{error.fix}</p> : null}
      {action}
    </div>
  )
}
