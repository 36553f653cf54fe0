/**
 * Waiting for the engine in tests. These wait on *conditions*, with a generous real-time cap only
 * so a broken test fails instead of hanging; no test asserts how long anything took.
 */
const CAP_MS = 15_000

export async function until(condition: () => boolean | Promise<boolean>, what: string, capMs = CAP_MS): Promise<void> {
  const deadline = Date.now() + capMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/**
 * Lets every pending callback, promise and I/O completion run a few times over, so that "nothing
 * happened" is a meaningful observation (e.g. a paused queue really did not claim a job).
 */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 1))
}
