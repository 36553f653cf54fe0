import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react'
import { useProviderName } from './GalleryCard'
import { formatBytes } from '../../../shared/format/bytes'
import { plural } from '../../../shared/format/plural'
import { sizeLabel, type ImageDetail, type ImageView } from '../../../shared/api'
import { tokenChargeText } from '../../../shared/queue/charge-text'
import { toErrorNote } from '../ui/format/error-note'
import { formatMoney } from '../ui/format/money'
import { useGallery, useProviders, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { ModalDialog } from '../ui/ModalDialog'
import { copyImageFromUrl, copyText } from './clipboard'
import { TagEditor } from './TagEditor'
import { JobMask } from '../generate/mask/JobMask'
import { fitScale, stepZoom, ZoomableImage, type Zoom } from './ZoomableImage'
import { rerunTitle, varyImage, varyTitle } from '../generate/history/RerunVaryButtons'

type Note = { ok: boolean; text: string } | null

export interface ImageDetailDialogProps {
  id: string
  onDeleteRequest(ids: string[]): void
}

function Row({ term, children }: { term: string; children: ReactNode }): ReactNode {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  )
}

/** Everything recorded about the image and the job that made it. */
function DetailFacts({ detail, image }: { detail: ImageDetail; image: ImageView }): ReactNode {
  const { job, settings } = detail
  const batchName = useGallery((s) => s.facets?.batches.find((b) => b.id === job.batchId)?.name ?? null)
  const provider = useProviderName(image.provider)
  const asked = sizeLabel(job.size)
  const references = job.references > 0 ? plural(job.references, 'reference image') : 'none'
  return (
    <dl className="detail-facts">
      <Row term="Prompt">
        <p className="detail-prompt">{image.prompt}</p>
      </Row>
      {image.revisedPrompt ? (
        <Row term="Revised prompt">
          <p className="detail-prompt">{image.revisedPrompt}</p>
        </Row>
      ) : null}
      <Row term="Size">
        {image.width} × {image.height} px{asked !== sizeLabel({ width: image.width, height: image.height }) ? ` (asked for ${asked})` : ''}
      </Row>
      <Row term="Format">
        {image.format.toUpperCase()} · {formatBytes(image.bytes)}
      </Row>
      {settings.template ? (
        <Row term="Template">
          {settings.template.name}
          {Object.keys(settings.template.values).length > 0
            ? ` · ${Object.entries(settings.template.values).map(([name, value]) => `${name}: ${value}`).join(', ')}`
            : ''}
        </Row>
      ) : null}
      <Row term="Quality">{settings.quality}</Row>
      <Row term="Background">{settings.background ?? 'provider default'}</Row>
      <Row term="Compression">{settings.compression === null ? 'provider default' : `${settings.compression}%`}</Row>
      <Row term="Images per request">{settings.n}</Row>
      <Row term="References">{job.masked ? `${references}, with a mask` : references}</Row>
      <Row term="Provider">{provider}</Row>
      <Row term="Key">{image.keyLabel ?? 'none (no key needed)'}</Row>
      <Row term="Estimated cost">{job.estimatedCost === null ? 'no price set' : formatMoney(job.estimatedCost, job.currency)}</Row>
      <Row term="Charged cost">
        {tokenChargeText(job, formatMoney) ?? (job.chargedCost === null ? 'not reported' : formatMoney(job.chargedCost, job.currency))}
      </Row>
      {job.batchId ? <Row term="Batch">{batchName ?? job.batchId}</Row> : null}
      <Row term="Created">{new Date(image.createdAt).toLocaleString()}</Row>
      <Row term="File">
        <code className="detail-path">{detail.path}</code>
      </Row>
    </dl>
  )
}

/**
 * The detail dialog: the full image with zoom, every parameter of its job, and what to do with it
 * (reuse its settings, copy it, find or drag its file, star, tag, delete). ← and → step through
 * the gallery as it is loaded.
 */
export function ImageDetailDialog({ id, onDeleteRequest }: ImageDetailDialogProps): ReactNode {
  const stores = useStores()
  const gallery = stores.gallery.getState
  const loaded = useGallery((s) => s.detail)
  const [zoom, setZoom] = useState<Zoom>('fit')
  const viewer = useRef<HTMLDivElement>(null)
  const [note, setNote] = useState<Note>(null)
  const live = useGallery((s) => s.images.find((i) => i.id === id))
  const position = useGallery((s) => s.images.findIndex((i) => i.id === id))
  const loadedCount = useGallery((s) => s.images.length)
  const busy = useGallery((s) => s.bulk.busy)
  const bulkError = useGallery((s) => s.bulk.error)
  const providers = useProviders((s) => s.providers)
  const keys = useProviders((s) => s.keys)

  // The store reads the record when the dialog opens or steps; the view starts afresh each time.
  useEffect(() => {
    setNote(null)
    setZoom('fit')
  }, [id])

  const detail = loaded.status === 'ready' && loaded.value.image.id === id ? loaded.value : null
  // Star and tags change in the gallery store; the rest of the record never changes.
  const image = live ?? detail?.image ?? null
  const desktop = stores.api.desktop
  const close = (): void => gallery().closeDetail()
  const step = (by: -1 | 1): void => {
    const next = gallery().images[position + by]
    if (next) gallery().openDetail(next.id)
  }

  const settingsProvider = detail ? providers.find((p) => p.id === detail.settings.provider) : undefined
  const useSettings = (): void => {
    if (!detail || !settingsProvider) return
    const keyId = keys.some((k) => k.id === detail.settings.keyId) ? detail.settings.keyId : null
    stores.generate.getState().loadSettings({ ...detail.settings, keyId })
    close()
    // Once the dialog is gone: while it is open the rest of the page cannot take focus.
    setTimeout(() => document.getElementById('prompt')?.focus(), 0)
  }

  const rerun = async (): Promise<void> => {
    if (!image) return
    setNote(null)
    const error = await stores.generate.getState().rerun(image.jobId)
    const where = stores.layout.getState().galleryGrouped ? 'right above this image’s group' : 'at the top'
    setNote(error ? { ok: false, text: error.message } : { ok: true, text: `Rerun queued: it appears ${where} in the gallery.` })
  }
  const vary = (): void => {
    if (!image) return
    close()
    void varyImage(stores.generate, image.id)
  }

  const run = async (action: () => Promise<void>, done: string): Promise<void> => {
    setNote(null)
    try {
      await action()
      setNote({ ok: true, text: done })
    } catch (err) {
      setNote({ ok: false, text: toErrorNote(err).message })
    }
  }
  const viaDesktop = async (call: Promise<{ ok: true } | { ok: false; message: string }>): Promise<void> => {
    const result = await call
    if (!result.ok) throw new Error(result.message)
  }
  const copyImage = (): void => {
    if (!image) return
    void run(
      () => (desktop ? viaDesktop(desktop.copyImage(image.file)) : copyImageFromUrl(stores.api.mediaUrl(image.file))),
      'Image copied to the clipboard.',
    )
  }
  const copyPath = (): void => {
    if (detail) void run(() => copyText(detail.path), 'File path copied to the clipboard.')
  }
  const reveal = (): void => {
    if (image && desktop) void run(() => viaDesktop(desktop.revealInFolder(image.file)), 'Shown in the file manager.')
  }
  const editImage = (): void => {
    if (!image) return
    close()
    void stores.generate.getState().editImage(image)
  }
  const useAsReference = (): void => {
    if (!image) return
    const add = async (): Promise<void> => {
      const refused = await stores.generate.getState().useImageAsReference(image)
      if (refused) throw new Error(refused.message)
    }
    void run(add, 'Added to the reference images.')
  }
  const dragOut = (event: DragEvent<HTMLImageElement>): void => {
    if (!image || !desktop) return
    event.preventDefault()
    desktop.startDrag(image.file)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const target = event.target as HTMLElement
    if (target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return
    const fit = (): number => (image ? fitScale(viewer.current, image.width, image.height) : 1)
    const keys: Record<string, () => void> = {
      '+': () => setZoom((z) => stepZoom(z, fit(), 1)),
      '=': () => setZoom((z) => stepZoom(z, fit(), 1)),
      '-': () => setZoom((z) => stepZoom(z, fit(), -1)),
      '0': () => setZoom('fit'),
      '1': () => setZoom(1),
      ArrowLeft: () => step(-1),
      ArrowRight: () => step(1),
    }
    const handler = keys[event.key]
    if (!handler) return
    event.preventDefault()
    handler()
  }

  return (
    <ModalDialog labelledBy="detail-title" onClose={close} className="detail-dialog">
      <div className="detail" onKeyDown={onKeyDown}>
        <header className="detail-header">
          <h2 id="detail-title">Image details</h2>
          {position >= 0 ? (
            <span className="hint">
              {position + 1} of {loadedCount.toLocaleString('en-US')} loaded · <kbd>←</kbd> <kbd>→</kbd> step · <kbd>+</kbd> <kbd>−</kbd> zoom
            </span>
          ) : null}
          <div className="detail-nav">
            <button type="button" className="button-quiet" disabled={position <= 0} onClick={() => step(-1)}>
              Previous
            </button>
            <button type="button" className="button-quiet" disabled={position < 0 || position >= loadedCount - 1} onClick={() => step(1)}>
              Next
            </button>
            <button type="button" className="button-quiet" data-autofocus onClick={close}>
              Close
            </button>
          </div>
        </header>
        {loaded.status === 'loading' ? <p className="empty-state">Loading the image…</p> : null}
        {loaded.status === 'error' ? <ErrorNote error={loaded.error} /> : null}
        {detail && image ? (
          <div className="detail-body">
            <ZoomableImage
              src={stores.api.mediaUrl(image.file)}
              alt={image.prompt}
              width={image.width}
              height={image.height}
              zoom={zoom}
              onZoom={setZoom}
              viewerRef={viewer}
              onDragStart={dragOut}
            />
            <aside className="detail-side">
              <div className="detail-actions">
                <button
                  type="button"
                  className="button-primary"
                  disabled={!settingsProvider}
                  title={`Into the prompt bar: prompt${detail.settings.template ? ', template and its values' : ''}, provider, key, ${(detail.settings.sizes ?? [detail.settings.size]).join(', ')}, options and references`}
                  onClick={useSettings}
                >
                  Use these settings
                </button>
                <div className="detail-action-row">
                  <button type="button" className="button-quiet" disabled={!settingsProvider} title={rerunTitle(image)} onClick={() => void rerun()}>
                    Rerun
                  </button>
                  <button type="button" className="button-quiet" disabled={!settingsProvider} title={varyTitle(image)} onClick={vary}>
                    Vary
                  </button>
                </div>
                {!settingsProvider ? (
                  <p className="hint">The provider “{detail.settings.provider}” is not set up any more, so its settings cannot be loaded.</p>
                ) : null}
                <div className="detail-action-row">
                  <button type="button" className="button-quiet" onClick={copyImage}>
                    Copy image
                  </button>
                  {desktop ? (
                    <button type="button" className="button-quiet" onClick={reveal}>
                      Reveal in folder
                    </button>
                  ) : (
                    <button type="button" className="button-quiet" onClick={copyPath} title="Browser mode cannot open your file manager">
                      Copy file path
                    </button>
                  )}
                  <button
                    type="button"
                    className="favorite-toggle"
                    aria-pressed={image.favorite}
                    aria-label="Favorite"
                    title={image.favorite ? 'Remove from favorites' : 'Add to favorites'}
                    onClick={() => void gallery().toggleFavorite(image)}
                  >
                    {image.favorite ? '★' : '☆'}
                  </button>
                  <button type="button" className="button-quiet button-danger" onClick={() => onDeleteRequest([image.id])}>
                    Delete…
                  </button>
                </div>
                <div className="detail-action-row">
                  <button type="button" className="button-quiet" onClick={editImage} title="Edit this image: paint the area to change">
                    Edit
                  </button>
                  <button type="button" className="button-quiet" onClick={useAsReference}>
                    Use as reference
                  </button>
                </div>
                <p className="hint">
                  {desktop ? 'Drag the image into another program to use the file.' : 'Drag the image out of the page to save or use it.'}
                </p>
                <p className={note?.ok === false ? 'detail-note is-error' : 'detail-note'} role="status">
                  {note?.text ?? ''}
                </p>
                {bulkError ? <ErrorNote error={bulkError} /> : null}
              </div>
              <section className="detail-tags" aria-labelledby="detail-tags-title">
                <h3 id="detail-tags-title">Tags</h3>
                <TagEditor
                  idPrefix="detail"
                  tags={image.tags}
                  busy={busy}
                  onAdd={(add) => void gallery().tagImages([image.id], { add })}
                  onRemove={(tag) => void gallery().tagImages([image.id], { remove: [tag] })}
                />
              </section>
              <JobMask settings={detail.settings} />
              <DetailFacts detail={detail} image={image} />
            </aside>
          </div>
        ) : null}
      </div>
    </ModalDialog>
  )
}
