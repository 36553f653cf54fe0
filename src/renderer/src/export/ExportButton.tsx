import { useRef, useState, type ReactNode } from 'react'
import type { ExportSelection } from '../../../shared/api'
import { useMenuRequest } from '../app/app-commands'
import { useGallery } from '../app/stores-context'
import { toQuery } from '../gallery/gallery-store'
import { ExportDialog } from './ExportDialog'

/**
 * The "Export" button (docs/design.md's name) and its dialog. The caller says what to export: the
 * current search, the selected images, or a batch. Focus returns to the button on close.
 */
export function ExportButton({ selection, disabled, label = 'Export', menu = false }: { selection: ExportSelection; disabled?: boolean; label?: string; menu?: boolean }): ReactNode {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  // The gallery's button answers File › Export… (menu): the others export a selection or a batch.
  useMenuRequest(menu ? 'export' : 'none', () => setOpen(true))
  return (
    <>
      <button ref={button} type="button" className="button-quiet" disabled={disabled} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {label}
      </button>
      {open ? (
        <ExportDialog
          selection={selection}
          onClose={() => {
            setOpen(false)
            button.current?.focus()
          }}
        />
      ) : null}
    </>
  )
}

/** Export for the Gallery header: what the gallery shows (its search and filters), or everything. */
export function GalleryExportButton(): ReactNode {
  const filters = useGallery((s) => s.filters)
  const empty = useGallery((s) => s.status === 'ready' && s.images.length === 0)
  const filter = toQuery(filters)
  return <ExportButton selection={Object.keys(filter).length > 0 ? { kind: 'filter', filter } : { kind: 'all' }} disabled={empty} menu />
}

/** Export for the selection bar: exactly the selected images. */
export function SelectionExportButton(): ReactNode {
  const ids = useGallery((s) => s.selection.ids)
  return <ExportButton label="Export selected" selection={{ kind: 'ids', ids: [...ids] }} disabled={ids.size === 0} />
}
