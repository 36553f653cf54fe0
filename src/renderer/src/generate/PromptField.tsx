import { useCallback, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useGenerate, useStores } from '../app/stores-context'
import { isHistoryKey, NO_RECALL, stepRecall, type Recall } from './history/history-recall'
import { PromptHistoryList } from './history/PromptHistoryList'

/** Puts the caret after the text: where a tweak to a recalled or loaded prompt starts. */
export function caretToEnd(box: HTMLTextAreaElement | null): void {
  if (!box) return
  box.focus()
  box.setSelectionRange(box.value.length, box.value.length)
}

/**
 * The prompt textbox; Ctrl+Enter (Cmd+Enter on a Mac) generates without leaving it. Earlier
 * prompts come back like a shell's: ↑ on an empty prompt (or with the caret at the start) and ↓
 * (history/history-recall.ts), or from the History list with search.
 */
export function PromptField({ onSubmitShortcut }: { onSubmitShortcut(): void }): ReactNode {
  const stores = useStores()
  const prompt = useGenerate((s) => s.prompt)
  const setPrompt = useGenerate((s) => s.setPrompt)
  const recall = useRef<Recall>(NO_RECALL)
  const box = useRef<HTMLTextAreaElement>(null)
  const field = useRef<HTMLDivElement>(null)
  const [listOpen, setListOpen] = useState(false)

  const show = (text: string): void => {
    setPrompt(text)
    // After React has put the text in: the caret goes to its end, ready for a tweak.
    requestAnimationFrame(() => caretToEnd(box.current))
  }

  const stepHistory = async (by: 1 | -1): Promise<void> => {
    const prompts = (await stores.promptHistory.getState().ensure()).map((e) => e.prompt)
    const current = stores.generate.getState().prompt
    // The user's own text is never "recalled" as itself: stepping skips an entry equal to it.
    let step = stepRecall(recall.current, prompts, by, current)
    if (step && recall.current.index < 0 && step.text === current) step = stepRecall(step.recall, prompts, by, step.text)
    if (!step) return
    recall.current = step.recall
    show(step.text)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      onSubmitShortcut()
      return
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    const target = event.currentTarget
    const caret = { text: target.value, selectionStart: target.selectionStart, selectionEnd: target.selectionEnd }
    if (!isHistoryKey(event.key, caret, recall.current)) return
    event.preventDefault()
    void stepHistory(event.key === 'ArrowUp' ? 1 : -1)
  }

  const closeList = useCallback(() => {
    setListOpen(false)
    box.current?.focus()
  }, [])
  const pick = (text: string): void => {
    recall.current = NO_RECALL
    setListOpen(false)
    show(text)
  }

  return (
    <div className="field prompt-field" ref={field}>
      <div className="prompt-field-head">
        <label htmlFor="prompt">Prompt</label>
        <p id="prompt-hint" className="hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> generates · <kbd>↑</kbd> recalls
        </p>
        <button
          type="button"
          className="button-quiet prompt-history-open"
          aria-haspopup="dialog"
          aria-expanded={listOpen}
          title="Earlier prompts of this library, searchable (↑ in an empty prompt steps through them)"
          onClick={() => (listOpen ? closeList() : setListOpen(true))}
        >
          History
        </button>
      </div>
      <textarea
        id="prompt"
        ref={box}
        rows={5}
        value={prompt}
        placeholder="A white-background packshot of a ceramic mug, soft daylight, 3/4 view"
        aria-describedby="prompt-hint"
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {listOpen && field.current ? <PromptHistoryList anchor={field.current} onPick={pick} onClose={closeList} /> : null}
    </div>
  )
}
