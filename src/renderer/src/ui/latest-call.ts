import { toErrorNote, type ErrorNoteData } from './format/error-note'

/**
 * Debounce, call, drop stale replies: the one way a preview (cost estimate, batch preview,
 * export preview, search) follows what is being typed. Each `request` restarts the pause; only
 * the reply to the newest request is reported, so a slow answer can never overwrite a newer one.
 * `request(null)` means "nothing to ask": it reports idle at once and forgets pending work.
 */

export type PreviewState<O> =
  | { status: 'idle'; value: null; error: null }
  | { status: 'loading'; value: O | null; error: null }
  | { status: 'ready'; value: O; error: null }
  | { status: 'error'; value: null; error: ErrorNoteData }

export const IDLE_PREVIEW: PreviewState<never> = { status: 'idle', value: null, error: null }

export interface LatestCall<I> {
  request(input: I | null): void
  /** Asks again with the last input (something the answer depends on changed elsewhere). */
  refresh(): void
  stop(): void
}

export function createLatestCall<I, O>(
  call: (input: I) => Promise<O>,
  report: (state: PreviewState<O>) => void,
  delayMs: number,
): LatestCall<I> {
  let timer: ReturnType<typeof setTimeout> | null = null
  let sequence = 0
  let last: I | null = null
  let lastValue: O | null = null

  const clear = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  const run = async (input: I): Promise<void> => {
    timer = null
    const mine = ++sequence
    try {
      const value = await call(input)
      if (mine !== sequence) return
      lastValue = value
      report({ status: 'ready', value, error: null })
    } catch (err) {
      if (mine !== sequence) return
      lastValue = null
      report({ status: 'error', value: null, error: toErrorNote(err) })
    }
  }
  const schedule = (input: I): void => {
    clear()
    sequence += 1 // a reply already on its way is now stale
    report({ status: 'loading', value: lastValue, error: null })
    timer = setTimeout(() => void run(input), delayMs)
  }
  return {
    request(input) {
      last = input
      if (input === null) {
        clear()
        sequence += 1
        lastValue = null
        report(IDLE_PREVIEW)
        return
      }
      schedule(input)
    },
    refresh() {
      if (last !== null) schedule(last)
    },
    stop() {
      clear()
      sequence += 1
    },
  }
}
