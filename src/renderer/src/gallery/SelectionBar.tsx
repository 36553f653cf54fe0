import { useState, type FormEvent, type ReactNode } from 'react'
import { useGallery, useStores } from '../app/stores-context'
import { SelectionExportButton } from '../export/ExportButton'
import { MAX_COMPARED, MIN_COMPARED } from './compare/compare-store'
import { parseTags } from './TagEditor'

/** Left to right as the gallery shows them, whatever order they were clicked in. */
function inGalleryOrder(ids: string[], images: readonly { id: string }[]): string[] {
  const at = new Map(images.map((image, i) => [image.id, i]))
  return ids.sort((a, b) => (at.get(a) ?? Infinity) - (at.get(b) ?? Infinity))
}

/** Why Compare cannot start, or null when it can. */
function compareHint(count: number): string | null {
  if (count < MIN_COMPARED) return 'Select one more image to compare'
  if (count > MAX_COMPARED) return `Compare takes ${MIN_COMPARED} to ${MAX_COMPARED} images`
  return null
}

/**
 * What to do with the selected images: compare (two to four), star, unstar, tag, untag, delete.
 * "Select all" takes every image matching the filters, loaded or not. Export selected opens the
 * export dialog for them.
 */
export function SelectionBar({ onDeleteRequest }: { onDeleteRequest(ids: string[]): void }): ReactNode {
  const stores = useStores()
  const count = useGallery((s) => s.selection.ids.size)
  const busy = useGallery((s) => s.bulk.busy)
  const total = useGallery((s) => s.total)
  const [tagText, setTagText] = useState('')
  const gallery = stores.gallery.getState
  const tags = parseTags(tagText)
  const hint = compareHint(count)

  const addTags = (event: FormEvent): void => {
    event.preventDefault()
    if (tags.length === 0) return
    void gallery()
      .tagSelected({ add: tags })
      .then((ok) => ok && setTagText(''))
  }

  return (
    <div className="selection-bar" role="toolbar" aria-label="Selection">
      <span className="selection-count" aria-live="polite">
        {count === 0 ? 'None selected' : `${count.toLocaleString('en-US')} selected`}
      </span>
      <button type="button" className="button-quiet" disabled={busy || !total} onClick={() => void gallery().selectAllMatching()}>
        Select all
      </button>
      {count > 0 ? (
        <>
          <button type="button" className="button-quiet" aria-label="Clear selection" onClick={() => gallery().clearSelection()}>
            Clear
          </button>
          <span className="selection-divider" aria-hidden="true" />
          {/* aria-disabled, not disabled: it stays focusable, so the hint is read where it applies. */}
          <button
            type="button"
            className="button-quiet selection-compare"
            aria-disabled={hint !== null}
            aria-describedby={hint ? 'selection-compare-hint' : undefined}
            title={hint ?? 'Compare the selected images side by side'}
            onClick={() => hint === null && stores.compare.getState().openCompare(inGalleryOrder([...gallery().selection.ids], gallery().images))}
          >
            Compare
          </button>
          {hint ? (
            <span className="selection-hint" id="selection-compare-hint">
              {hint}
            </span>
          ) : null}
          <button type="button" className="button-quiet" disabled={busy} onClick={() => void gallery().starSelected(true)}>
            ★ Star
          </button>
          <button type="button" className="button-quiet" disabled={busy} onClick={() => void gallery().starSelected(false)}>
            Unstar
          </button>
          <form className="selection-tag" onSubmit={addTags}>
            <input
              type="text"
              aria-label="Tag for selected images"
              placeholder="Tags, comma between"
              maxLength={200}
              value={tagText}
              onChange={(event) => setTagText(event.target.value)}
            />
            <button type="submit" className="button-quiet" disabled={busy || tags.length === 0}>
              Add tag
            </button>
            <button
              type="button"
              className="button-quiet"
              disabled={busy || tags.length === 0}
              onClick={() => void gallery().tagSelected({ remove: tags }).then((ok) => ok && setTagText(''))}
            >
              Remove tag
            </button>
          </form>
          <button type="button" className="button-quiet button-danger" disabled={busy} onClick={() => onDeleteRequest([...gallery().selection.ids])}>
            Delete…
          </button>
        </>
      ) : null}
      <SelectionExportButton />
    </div>
  )
}
