import { useCallback, useRef, useState, type ChangeEvent, type RefCallback } from 'react'

export interface SecretField {
  /** For the password input, which stays uncontrolled: no `value` prop, no copy in React state. */
  ref: RefCallback<HTMLInputElement>
  onChange(event: ChangeEvent<HTMLInputElement>): void
  /** Whether something other than spaces is in the field (for the Save button). */
  filled: boolean
  /** What is in the field now; read it where the call is made, never into a variable a closure keeps. */
  read(): string
  clear(): void
}

/**
 * A field for an API key. The key lives in the input element only: kept in state, or in a
 * variable the submit handler closes over, it outlives the form (an error's stack trace held by a
 * finished fetch keeps that closure, and with it the key, on the page's heap). Readers must not
 * store what `read()` returns.
 */
export function useSecretField(): SecretField {
  const field = useRef<HTMLInputElement | null>(null)
  const [filled, setFilled] = useState(false)
  // A field that goes away (a form closed with Cancel) comes back empty, so it is not "filled".
  const ref = useCallback((element: HTMLInputElement | null) => {
    field.current = element
    if (!element) setFilled(false)
  }, [])
  return {
    ref,
    filled,
    onChange: (event) => setFilled(event.target.value.trim() !== ''),
    read: () => field.current?.value ?? '',
    clear: () => {
      if (field.current) field.current.value = ''
      setFilled(false)
    },
  }
}
