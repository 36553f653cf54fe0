import { ApiError } from '../../../../shared/api'
import { appFix } from './remedy-words'

/** What the interface shows for a failed call: the engine's own message and how to fix it. */
export interface ErrorNoteData {
  message: string
  fix?: string
}

export function toErrorNote(err: unknown): ErrorNoteData {
  if (err instanceof ApiError) {
    const fix = appFix(err)
    return fix ? { message: err.message, fix } : { message: err.message }
  }
  if (err instanceof Error) return { message: err.message, fix: 'Try again; if it keeps failing, restart Proofsheet.' }
  return { message: 'Something went wrong.', fix: 'Try again; if it keeps failing, restart Proofsheet.' }
}
