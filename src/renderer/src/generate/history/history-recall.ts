/**
 * Stepping through earlier prompts from the prompt box, the way a shell does: Up on an empty
 * prompt, or with the caret at the very start, shows the previous prompt; Down goes back towards
 * the newest and, past it, to what was being written. While a recalled prompt is shown unchanged,
 * Up and Down keep stepping wherever the caret is; typing makes it an ordinary prompt again.
 * Pure, so the rules are tested alone.
 */

export interface Recall {
  /** Which history entry is shown (0: the newest); -1: none, the user's own text is. */
  index: number
  /** What the user had written before the first step, given back by stepping past the newest. */
  draft: string
  /** The text put in the box by the last step (null: none), to tell a recalled prompt from an edited one. */
  shown: string | null
}

export const NO_RECALL: Recall = { index: -1, draft: '', shown: null }

export interface Caret {
  text: string
  selectionStart: number
  selectionEnd: number
}

/** Whether this key press steps through the history rather than moving the caret. */
export function isHistoryKey(key: string, caret: Caret, recall: Recall): boolean {
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return false
  const browsing = recall.index >= 0 && caret.text === recall.shown
  if (key === 'ArrowUp') return caret.text === '' || browsing || (caret.selectionStart === 0 && caret.selectionEnd === 0)
  // Down only walks back towards the newest: with nothing recalled there is nothing newer.
  if (recall.index < 0) return false
  return browsing || (caret.selectionStart === caret.text.length && caret.selectionEnd === caret.text.length)
}

/**
 * One step older (1) or newer (-1) through `prompts` (newest first). Null when there is nowhere
 * to go (the oldest is shown, or nothing is recalled); the text to show otherwise.
 */
export function stepRecall(recall: Recall, prompts: readonly string[], by: 1 | -1, current: string): { recall: Recall; text: string } | null {
  // A recalled prompt the user edited counts as their own text from here on.
  const from = recall.index >= 0 && current !== recall.shown ? { ...NO_RECALL, draft: current } : recall
  const index = from.index + by
  if (by === 1) {
    if (index >= prompts.length) return null
    const draft = from.index < 0 ? current : from.draft
    const text = prompts[index]!
    return { recall: { index, draft, shown: text }, text }
  }
  if (from.index < 0) return null
  if (index < 0) return { recall: NO_RECALL, text: from.draft }
  const text = prompts[index]!
  return { recall: { index, draft: from.draft, shown: text }, text }
}
