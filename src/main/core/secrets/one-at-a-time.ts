/**
 * A turnstile for async work on shared state: each piece starts once the one before it has settled,
 * whether that succeeded or failed, so a failure never blocks the next caller. The key vault needs
 * it for its duplicate-label check, the encrypted key file for its whole-file read-modify-write.
 */
export type OneAtATime = <T>(work: () => Promise<T>) => Promise<T>

export function oneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve()
  return (work) => {
    const run = tail.then(work, work)
    tail = run.catch(() => undefined)
    return run
  }
}
