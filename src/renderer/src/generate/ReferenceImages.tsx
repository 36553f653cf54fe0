import { Suspense, useEffect, useId, useRef, useState, type DragEvent, type ReactNode } from 'react'
import type { ProviderSummary } from '../../../shared/api'
import {
  ACCEPTED_TYPES,
  referenceProblem,
  referenceRuleText,
  type DraftReference,
  type FileReference,
} from './references/reference-rules'
import { formatBytes } from '../../../shared/format/bytes'
import { useGenerate, useStores } from '../app/stores-context'
import { ErrorNote } from '../ui/ErrorNote'
import { FilePicker } from '../ui/FilePicker'
import { InlineAddForm } from '../ui/InlineAddForm'
import { GALLERY_IMAGE_TYPE } from './mask/gallery-drag'
import { MaskOverlay } from './mask/MaskOverlay'
import { lazyView } from '../ui/lazy-view'
import './references.css'

// Only edits with a mask open the painter: it loads the first time it opens.
const MaskPainter = lazyView(() => import('./mask/MaskPainter').then((m) => m.MaskPainter))

/** The image files in a drop or paste, in order; other items (text, links) are left alone. */
function filesOf(data: DataTransfer | null): File[] {
  if (!data) return []
  return Array.from(data.files)
}

/**
 * Reference images for edits and image-guided generation: drop files from the OS, paste from the
 * clipboard, pick files, or add links for providers that fetch them. The provider's rules apply
 * live: each thumbnail says when the chosen provider cannot take it.
 */
export function ReferenceImages({ provider }: { provider: ProviderSummary | undefined }): ReactNode {
  const stores = useStores()
  const references = useGenerate((s) => s.references)
  const mask = useGenerate((s) => s.mask)
  const importing = useGenerate((s) => s.importing)
  const painterOpen = useGenerate((s) => s.maskPainterOpen)
  const error = useGenerate((s) => s.referenceError)
  const headingId = useId()
  const ruleId = useId()
  const [dragging, setDragging] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)

  const rule = provider?.references ?? null
  const takesFiles = rule?.accepts.includes('file') ?? false
  const takesLinks = rule?.accepts.includes('url') ?? false

  /** Says why this provider cannot take images from this computer; true when it cannot. */
  const refusesFiles = (): boolean => {
    if (!provider || takesFiles) return false
    setRefusal(
      rule
        ? `${provider.name} needs public https links for reference images: its API cannot receive files from your computer. Upload the image somewhere public and add its link.`
        : `${provider.name} does not take reference images. Pick a provider that edits images (for example OpenAI or TokenHub).`,
    )
    return true
  }
  const addFiles = (files: File[]): void => {
    if (files.length === 0 || !provider || refusesFiles()) return
    setRefusal(null)
    void stores.generate.getState().addReferenceFiles(files)
  }
  // A refusal explains the provider that was chosen when it happened; a new provider starts clean.
  useEffect(() => setRefusal(null), [provider?.id])
  const addFilesRef = useRef(addFiles)
  addFilesRef.current = addFiles

  // Paste works anywhere in the window: an image on the clipboard has nowhere else to go.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const files = filesOf(event.clipboardData).filter((f) => f.type.startsWith('image/'))
      if (files.length === 0) return
      event.preventDefault()
      addFilesRef.current(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [])

  // Files from the OS, or a tile dragged from the gallery (which names its image, not a file).
  const onDragOver = (event: DragEvent<HTMLElement>): void => {
    const types = Array.from(event.dataTransfer.types)
    if (!types.includes('Files') && !types.includes(GALLERY_IMAGE_TYPE)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = takesFiles ? 'copy' : 'none'
    setDragging(true)
  }
  const onDrop = (event: DragEvent<HTMLElement>): void => {
    const imageId = event.dataTransfer.getData(GALLERY_IMAGE_TYPE)
    const files = filesOf(event.dataTransfer)
    if (!imageId && files.length === 0) return
    event.preventDefault()
    setDragging(false)
    const image = imageId ? stores.gallery.getState().images.find((i) => i.id === imageId) : undefined
    if (!image) {
      addFiles(files)
      return
    }
    if (!provider || refusesFiles()) return
    setRefusal(null)
    void stores.generate.getState().useImageAsReference(image)
  }

  // The painter closes by itself when nothing is left to paint on (the reference removed, a provider without masks).
  const first = references[0]?.kind === 'file' ? references[0] : null
  useEffect(() => {
    if (painterOpen && !(first && rule?.mask)) stores.generate.getState().closeMaskPainter()
  }, [painterOpen, first, rule?.mask, stores])

  if (!provider) return null
  const dismiss = (): void => {
    setRefusal(null)
    stores.generate.getState().dismissReferenceError()
  }
  const shownError = refusal ? { message: refusal } : error

  return (
    <section
      className="field references"
      aria-labelledby={headingId}
      data-testid="reference-area"
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false)
      }}
      onDrop={onDrop}
    >
      <h3 id={headingId} className="field-heading">
        Reference images <span className="optional">optional</span>
      </h3>
      <p id={ruleId} className="hint">
        {referenceRuleText(provider)}
      </p>

      {rule ? (
        <div
          className={dragging ? 'drop-zone is-dragging' : 'drop-zone'}
          data-testid="reference-drop-zone"
          aria-describedby={ruleId}
        >
          {takesFiles ? (
            <FilePicker
              label="Reference images"
              buttonText="Choose images…"
              multiple
              accept={ACCEPTED_TYPES.join(',')}
              onFiles={addFiles}
            />
          ) : null}
          <p className="drop-zone-text">
            {takesFiles ? 'or drop images here, or paste one with Ctrl+V' : 'Files cannot be used here — add links below.'}
          </p>
          {takesLinks ? <LinkForm /> : null}
        </div>
      ) : null}

      {importing > 0 ? (
        <p className="hint" role="status">
          Adding {importing === 1 ? 'an image' : `${importing} images`}…
        </p>
      ) : null}
      {shownError ? (
        <ErrorNote
          error={shownError}
          action={
            <button type="button" className="button-quiet" onClick={dismiss}>
              Dismiss
            </button>
          }
        />
      ) : null}

      {references.length > 0 ? (
        <ul className="reference-list" aria-label="Chosen reference images">
          {references.map((ref, index) => (
            <ReferenceItem
              key={ref.id}
              reference={ref}
              maskSrc={index === 0 ? (mask?.preview ?? null) : null}
              problem={referenceProblem(provider, ref)}
              onRemove={() => stores.generate.getState().removeReference(ref.id)}
            />
          ))}
        </ul>
      ) : null}

      {rule?.mask && takesFiles && (references.length > 0 || mask) ? (
        <MaskPicker mask={mask} first={first} providerName={provider.name} problem={null} />
      ) : mask ? (
        // Chosen for another provider: it stays visible, with the reason and its Remove button.
        <MaskPicker mask={mask} first={null} providerName={provider.name} problem={`${provider.name} does not take an edit mask: remove it to generate here.`} />
      ) : null}

      {painterOpen && first && rule?.mask ? (
        <Suspense fallback={null}>
          <MaskPainter
            reference={first}
            mask={mask}
            providerName={provider.name}
            maxMaskBytes={rule.maxMaskBytes ?? 0}
            onSave={(png) => stores.generate.getState().saveMaskPainting(png)}
            onClose={() => stores.generate.getState().closeMaskPainter()}
          />
        </Suspense>
      ) : null}
    </section>
  )
}

function referenceName(ref: DraftReference): string {
  return ref.kind === 'file' ? ref.name : ref.url
}

function ReferenceItem(props: { reference: DraftReference; maskSrc: string | null; problem: string | null; onRemove(): void }): ReactNode {
  const { reference, problem, onRemove } = props
  const name = referenceName(reference)
  return (
    <li className={problem ? 'reference-item has-problem' : 'reference-item'}>
      {reference.kind === 'file' && props.maskSrc ? (
        <span className="reference-thumb mask-thumb">
          <img src={reference.preview} alt={name} />
          <MaskOverlay src={props.maskSrc} />
        </span>
      ) : reference.kind === 'file' ? (
        <img className="reference-thumb" src={reference.preview} alt={name} />
      ) : (
        <span className="reference-thumb reference-link-glyph" aria-hidden="true">
          ↗
        </span>
      )}
      <span className="reference-meta">
        <span className="reference-name" title={name}>
          {name}
        </span>
        <span className="hint">
          {reference.kind === 'file'
            ? `${reference.width}×${reference.height} · ${reference.format.toUpperCase()} · ${formatBytes(reference.bytes)}`
            : 'Link, fetched by the provider'}
        </span>
        {problem ? <span className="reference-problem">{problem}</span> : null}
      </span>
      <button type="button" className="icon-button" aria-label={`Remove ${name}`} onClick={onRemove}>
        ×
      </button>
    </li>
  )
}

function LinkForm(): ReactNode {
  const stores = useStores()
  return (
    <InlineAddForm
      type="url"
      inputMode="url"
      label="Reference image link"
      placeholder="https://…"
      buttonText="Add link"
      onAdd={(text) => stores.generate.getState().addReferenceLink(text)}
    />
  )
}

function MaskPicker(props: { mask: FileReference | null; first: FileReference | null; providerName: string; problem: string | null }): ReactNode {
  const { mask, first, problem } = props
  const stores = useStores()
  const box = useRef<HTMLDivElement>(null)
  // A mask just saved (the painter closed over the form) is brought into view where it now shows.
  const maskPath = mask?.path
  useEffect(() => {
    if (maskPath) box.current?.scrollIntoView?.({ block: 'nearest' })
  }, [maskPath])
  const paint = first ? (
    <button type="button" className="button-quiet" onClick={() => stores.generate.getState().openMaskPainter()}>
      {mask ? 'Repaint mask…' : 'Paint mask…'}
    </button>
  ) : null
  return (
    <div className="mask-picker" ref={box}>
      <span className="field-heading-small">Edit mask</span>
      <p className="hint">
        {first
          ? `Paint the area ${props.providerName} should repaint, or choose a PNG the size of the first image (transparent areas are repainted).`
          : 'A PNG the size of the first image; transparent areas are repainted.'}
      </p>
      {mask ? (
        <div className={problem ? 'reference-item has-problem' : 'reference-item'}>
          {first ? (
            <span className="reference-thumb mask-thumb">
              <img src={first.preview} alt={`Mask ${mask.name} over ${first.name}`} />
              <MaskOverlay src={mask.preview} />
            </span>
          ) : (
            <img className="reference-thumb" src={mask.preview} alt={`Mask ${mask.name}`} />
          )}
          <span className="reference-meta">
            <span className="reference-name">{mask.name}</span>
            <span className="hint">
              {mask.width}×{mask.height}
            </span>
            {problem ? <span className="reference-problem">{problem}</span> : null}
          </span>
          <button type="button" className="icon-button" aria-label="Remove the mask" onClick={() => stores.generate.getState().removeMask()}>
            ×
          </button>
        </div>
      ) : null}
      {mask && paint ? <div className="mask-picker-actions">{paint}</div> : null}
      {mask ? null : (
        <div className="mask-picker-actions">
          {paint}
          <FilePicker
            label="Edit mask"
            buttonText={first ? 'Choose a PNG…' : 'Choose a mask…'}
            accept="image/png"
            onFiles={(files) => {
              const file = files[0]
              if (file) void stores.generate.getState().setMaskFile(file)
            }}
          />
        </div>
      )}
    </div>
  )
}
