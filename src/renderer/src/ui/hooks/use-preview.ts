import { useEffect, useRef, useState } from 'react'
import { createLatestCall, IDLE_PREVIEW, type LatestCall, type PreviewState } from '../latest-call'

/**
 * A preview that follows a form: `input` is compared by its JSON text, so a new object with the
 * same content asks nothing. `call` comes from a store (components never call the contract
 * themselves); null input means nothing to preview.
 */
export function usePreview<I, O>(input: I | null, call: (input: I) => Promise<O>, delayMs: number): PreviewState<O> {
  const [state, setState] = useState<PreviewState<O>>(IDLE_PREVIEW)
  const callRef = useRef(call)
  callRef.current = call
  const latest = useRef<LatestCall<I> | null>(null)
  useEffect(() => {
    const made = createLatestCall<I, O>((i) => callRef.current(i), setState, delayMs)
    latest.current = made
    return () => made.stop()
  }, [delayMs])
  const key = input === null ? null : JSON.stringify(input)
  useEffect(() => {
    latest.current?.request(input)
    // `key` stands for `input`, which may be a new object on every render.
  }, [key])
  return state
}
