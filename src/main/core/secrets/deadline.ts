import { errorText } from './encryptor'

/** Raised when a keychain call does not settle in time (a locked keychain can hang). */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeadlineError'
  }
}

/**
 * Settles like `work`, or rejects with a DeadlineError after `ms`. `work` keeps running: a
 * native keychain call cannot be cancelled, so callers that care clean up when it settles.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(`${what} did not answer within ${seconds(ms)}`)), ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err instanceof Error ? err : new Error(errorText(err)))
      },
    )
  })
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
