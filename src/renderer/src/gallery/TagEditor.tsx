import { useState, type FormEvent, type ReactNode } from 'react'
import { useGallery } from '../app/stores-context'

export interface TagEditorProps {
  tags: string[]
  busy: boolean
  onAdd(tags: string[]): void
  onRemove(tag: string): void
  /** Unique per place it is used, for the input's id and its list of known tags. */
  idPrefix: string
}

const NO_TAGS: readonly { value: string; count: number }[] = []

/** Splits "summer, hero shot" into tags; the engine trims and checks each. */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
}

/** The tags of one image as removable chips, and a field to add more (suggesting tags in use). */
export function TagEditor({ tags, busy, onAdd, onRemove, idPrefix }: TagEditorProps): ReactNode {
  const [text, setText] = useState('')
  const known = useGallery((s) => s.facets?.tags ?? NO_TAGS)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const add = parseTags(text)
    if (add.length === 0) return
    onAdd(add)
    setText('')
  }
  return (
    <div className="tag-editor">
      {tags.length > 0 ? (
        <ul className="tag-chips" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              {tag}
              <button type="button" aria-label={`Remove tag ${tag}`} title={`Remove tag ${tag}`} disabled={busy} onClick={() => onRemove(tag)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No tags yet.</p>
      )}
      <form className="tag-add" onSubmit={submit}>
        <input
          id={`${idPrefix}-tag`}
          type="text"
          aria-label="Add tag"
          placeholder="Add tag (commas for several)"
          list={`${idPrefix}-known-tags`}
          maxLength={200}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <datalist id={`${idPrefix}-known-tags`}>
          {known.map((t) => (
            <option key={t.value} value={t.value} />
          ))}
        </datalist>
        <button type="submit" className="button-quiet" disabled={busy || parseTags(text).length === 0}>
          Add
        </button>
      </form>
    </div>
  )
}
