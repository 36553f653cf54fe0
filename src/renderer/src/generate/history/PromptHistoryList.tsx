import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { PromptHistoryEntry } from '../../../../shared/api'
import { usePromptHistory, useStores } from '../../app/stores-context'
import { ErrorNote } from '../../ui/ErrorNote'
import { lastUsedText } from './last-used'
import './prompt-history.css'

export interface PromptHistoryListProps {
  /** What the popover hangs from (the prompt field): it opens below its top row, at least as wide. */
  anchor: HTMLElement
  onPick(prompt: string): void
  onClose(): void
}

const WIDTH = 440

/** Just below the anchor's label line, at least WIDTH wide, kept inside the window. */
function placeBelow(anchor: HTMLElement): { left: number; top: number; width: number; maxHeight: number } {
  const box = anchor.getBoundingClientRect()
  const head = anchor.firstElementChild?.getBoundingClientRect()
  const top = (head ? head.bottom : box.top) + 6
  const width = Math.min(Math.max(box.width, WIDTH), window.innerWidth - box.left - 16)
  return { left: box.left, top, width, maxHeight: Math.max(200, Math.min(460, window.innerHeight - top - 16)) }
}

/**
 * The History popover: a search box over the library's earlier prompts, newest first, starred
 * ones marked. Focus stays in the search box; ↑ ↓ move through the list, Enter picks, Escape
 * closes (so does a click elsewhere). Fixed to the viewport: the prompt bar scrolls and would clip it.
 */
export function PromptHistoryList({ anchor, onPick, onClose }: PromptHistoryListProps): ReactNode {
  const stores = useStores()
  const history = stores.promptHistory
  const status = usePromptHistory((s) => s.status)
  const results = usePromptHistory((s) => s.results)
  const search = usePromptHistory((s) => s.search)
  const searching = usePromptHistory((s) => s.searching)
  const error = usePromptHistory((s) => s.error)
  const [active, setActive] = useState(0)
  // Measured once as it opens (the page does not move under an open popover), before the first
  // paint, so the search box is visible, and focusable, from the start.
  const [place] = useState(() => placeBelow(anchor))
  const root = useRef<HTMLDivElement>(null)
  const list = useRef<HTMLUListElement>(null)
  const listId = useId()
  const optionId = (index: number): string => `${listId}-option-${index}`

  useEffect(() => {
    history.getState().setSearch('')
    void history.getState().ensure()
  }, [history])
  useEffect(() => setActive(0), [results])

  useEffect(() => {
    const away = (event: PointerEvent): void => {
      const target = event.target as Node
      if (!root.current?.contains(target) && !anchor.querySelector('.prompt-history-open')?.contains(target)) onClose()
    }
    document.addEventListener('pointerdown', away)
    return () => document.removeEventListener('pointerdown', away)
  }, [anchor, onClose])

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    const last = results.length - 1
    const moves: Record<string, () => void> = {
      ArrowDown: () => setActive((a) => Math.min(last, a + 1)),
      ArrowUp: () => setActive((a) => Math.max(0, a - 1)),
      Home: () => setActive(0),
      End: () => setActive(Math.max(0, last)),
      PageDown: () => setActive((a) => Math.min(last, a + 8)),
      PageUp: () => setActive((a) => Math.max(0, a - 8)),
      Enter: () => {
        const entry = results[active]
        if (entry) onPick(entry.prompt)
      },
      Escape: () => onClose(),
    }
    const move = moves[event.key]
    if (!move || ((event.key === 'Home' || event.key === 'End') && search !== '')) return
    event.preventDefault()
    event.stopPropagation()
    move()
  }

  const now = Date.now()
  const loading = status === 'idle' || status === 'loading'
  const empty = loading
    ? 'Reading your earlier prompts…'
    : searching
      ? 'Searching…'
      : search.trim() !== ''
        ? `No earlier prompt contains “${search.trim()}”.`
        : 'No prompts yet. The prompts you generate with are kept here, newest first.'

  return (
    <div
      ref={root}
      className="prompt-history"
      role="dialog"
      aria-label="Prompt history"
      style={place}
    >
      <input
        type="search"
        className="prompt-history-search"
        role="combobox"
        aria-label="Search prompt history"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={results[active] ? optionId(active) : undefined}
        aria-autocomplete="list"
        placeholder="Search earlier prompts"
        value={search}
        autoFocus
        onChange={(event) => history.getState().setSearch(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {error ? <ErrorNote error={error} onRetry={() => void history.getState().ensure()} /> : null}
      {results.length === 0 ? (
        <p className="prompt-history-empty" role="status">
          {empty}
        </p>
      ) : (
        <ul ref={list} id={listId} className="prompt-history-list" role="listbox" aria-label="Earlier prompts">
          {results.map((entry, index) => (
            <HistoryOption
              key={entry.prompt}
              id={optionId(index)}
              index={index}
              entry={entry}
              now={now}
              active={index === active}
              onHover={() => setActive(index)}
              onPick={() => onPick(entry.prompt)}
            />
          ))}
        </ul>
      )}
      <p className="prompt-history-foot hint">
        <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> use · <kbd>Esc</kbd> close · ★ made a starred image
      </p>
    </div>
  )
}

function HistoryOption(props: {
  id: string
  index: number
  entry: PromptHistoryEntry
  now: number
  active: boolean
  onHover(): void
  onPick(): void
}): ReactNode {
  const { entry } = props
  const starred = entry.starred > 0 ? `${entry.starred} starred image${entry.starred === 1 ? '' : 's'}` : null
  return (
    <li
      id={props.id}
      data-index={props.index}
      role="option"
      aria-selected={props.active}
      aria-label={starred ? `${entry.prompt} (★ ${starred})` : entry.prompt}
      className="prompt-history-option"
      onPointerMove={props.onHover}
      // Keeps the focus in the search box, so the keys go on working after a click.
      onPointerDown={(event) => event.preventDefault()}
      onClick={props.onPick}
    >
      <span className="prompt-history-text">{entry.prompt}</span>
      <span className="prompt-history-meta">
        {starred ? (
          <span className="prompt-history-star" title={`Made ${starred}`}>
            ★ {entry.starred}
          </span>
        ) : null}
        <span>{lastUsedText(entry.lastUsedAt, props.now)}</span>
      </span>
    </li>
  )
}
