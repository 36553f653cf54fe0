import type { ReactNode } from 'react'
import { useGallery, useStores } from '../app/stores-context'
import { ModalDialog } from '../ui/ModalDialog'

/** Asks before images go, and says where they go: the system Trash, or the library's trash folder. */
export function ConfirmDelete({ ids, onDone }: { ids: string[]; onDone(): void }): ReactNode {
  const stores = useStores()
  const trash = useGallery((s) => s.trash)
  const busy = useGallery((s) => s.bulk.busy)
  const what = ids.length === 1 ? 'this image' : `${ids.length.toLocaleString('en-US')} images`
  const confirm = async (): Promise<void> => {
    await stores.gallery.getState().deleteImages(ids)
    onDone()
  }
  return (
    <ModalDialog labelledBy="confirm-delete-title" onClose={onDone} className="confirm-dialog">
      <h2 id="confirm-delete-title">Delete {what}?</h2>
      <p>
        {ids.length === 1 ? 'The file moves' : 'The files move'} to {trash?.description ?? 'the trash'}, where you can still get{' '}
        {ids.length === 1 ? 'it' : 'them'} back. {ids.length === 1 ? 'It leaves' : 'They leave'} the gallery, with{' '}
        {ids.length === 1 ? 'its' : 'their'} tags and stars; what {ids.length === 1 ? 'it' : 'they'} cost stays in the spend records.
      </p>
      <div className="confirm-actions">
        <button type="button" className="button-quiet" data-autofocus disabled={busy} onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="button-quiet button-danger" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Moving…' : 'Move to trash'}
        </button>
      </div>
    </ModalDialog>
  )
}
