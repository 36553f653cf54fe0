import { useId, useState, type FormEvent, type ReactNode } from 'react'
import '../generate/references.css'

/**
 * One text field and an add button, with the problem shown under it (a link to add, a custom
 * size). `onAdd` returns what is wrong with the text, or null once it was added.
 */
export function InlineAddForm(props: {
  label: string
  buttonText: string
  placeholder: string
  type?: 'text' | 'url'
  inputMode?: 'text' | 'url' | 'numeric'
  className?: string
  onAdd(text: string): string | null
}): ReactNode {
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const problemId = useId()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const found = props.onAdd(text)
    setProblem(found)
    if (found === null) setText('')
  }
  return (
    <form className={props.className ? `link-form ${props.className}` : 'link-form'} onSubmit={submit} noValidate>
      <input
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        aria-label={props.label}
        aria-invalid={problem !== null}
        aria-describedby={problem ? problemId : undefined}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button-quiet" disabled={text.trim() === ''}>
        {props.buttonText}
      </button>
      {problem ? (
        <p id={problemId} className="field-error">
          {problem}
        </p>
      ) : null}
    </form>
  )
}
