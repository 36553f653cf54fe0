import { useState } from 'react'
import { toErrorNote, type ErrorNoteData } from '../format/error-note'

export interface PendingCall {
  busy: boolean
  error: ErrorNoteData | null
  /** For problems found before anything is sent (a field typed wrong). */
  setError(error: ErrorNoteData | null): void
  /** Runs one engine call (or a few in a row): busy while it runs, its failure as the error. True when it succeeded. */
  run(work: () => Promise<unknown>): Promise<boolean>
}

/** The busy flag and error note every form with a Save or Add button keeps. */
export function usePendingCall(): PendingCall {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ErrorNoteData | null>(null)
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true)
    setError(null)
    try {
      await work()
      return true
    } catch (err) {
      setError(toErrorNote(err))
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}
