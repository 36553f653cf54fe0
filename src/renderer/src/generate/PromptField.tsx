import type { KeyboardEvent, ReactNode } from 'react'
import { useGenerate } from '../app/stores-context'

/** The prompt textbox; Ctrl+Enter (Cmd+Enter on a Mac) generates without leaving it. */
export function PromptField({ onSubmitShortcut }: { onSubmitShortcut(): void }): ReactNode {
  const prompt = useGenerate((s) => s.prompt)
  const setPrompt = useGenerate((s) => s.setPrompt)

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      onSubmitShortcut()
    }
  }

  return (
    <div className="field">
      <label htmlFor="prompt">Prompt</label>
      <textarea
        id="prompt"
        rows={5}
        value={prompt}
        placeholder="A white-background packshot of a ceramic mug, soft daylight, 3/4 view"
        aria-describedby="prompt-hint"
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id="prompt-hint" className="hint">
        <kbd>Ctrl</kbd>+<kbd>Enter</kbd> generates.
      </p>
    </div>
  )
}
