import { useRef, useState, type ReactNode } from 'react'
import type { ExportSelection } from '../../../shared/api'
import { useGallery } from '../stores/stores-context'
import { ExportDialog } from './ExportDialog'

/**
 * The "Export" button (DESIGN.md's name) and its dialog. The caller says what to export: the
 * current search, the selected images, or a batch. Focus returns to the button on close.
 */
export function ExportButton({ selection, disabled }: { selection: ExportSelection; disabled?: boolean }): ReactNode {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  return (
    <>
      <button ref={button} type="button" className="button-quiet" disabled={disabled} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Export
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

/** Export for the Gallery header: what the gallery shows (its search), or everything. */
export function GalleryExportButton(): ReactNode {
  const search = useGallery((s) => s.search.trim())
  const empty = useGallery((s) => s.status === 'ready' && s.images.length === 0)
  return <ExportButton selection={search ? { kind: 'filter', filter: { search } } : { kind: 'all' }} disabled={empty} />
}
