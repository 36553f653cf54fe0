import { useRef, type ReactNode } from 'react'
import './file-picker.css'

/**
 * A real file input (so assistive tech, a <label> and tests can use it) behind a button styled
 * like the app's others: the browser's own "Choose File / No file chosen" does not match them.
 */
export function FilePicker(props: {
  label: string
  buttonText: string
  /** For a visible <label htmlFor>. */
  id?: string
  multiple?: boolean
  accept: string
  onFiles(files: File[]): void
}): ReactNode {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <input
        ref={input}
        id={props.id}
        type="file"
        className="file-input"
        aria-label={props.label}
        tabIndex={-1}
        multiple={props.multiple ?? false}
        accept={props.accept}
        onChange={(event) => {
          props.onFiles(Array.from(event.target.files ?? []))
          // The same file chosen again (edited meanwhile) must fire again.
          event.target.value = ''
        }}
      />
      <button type="button" className="button-quiet" onClick={() => input.current?.click()}>
        {props.buttonText}
      </button>
    </>
  )
}
