import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from 'react'
import { useGallery, useProviders, useStores } from '../../app/stores-context'
import { ModalDialog } from '../../ui/ModalDialog'
import { useElementSize } from '../../ui/hooks/use-element-size'
import { formatMoney } from '../../ui/format/money'
import { ComparePane } from './ComparePane'
import { differingFacts, factsOf, promptDifferences, type Fact } from './compare-facts'
import { MAX_COMPARED, shownIds, } from './compare-store'
import { useCompare } from './use-compare'
import { actualSize, FIT, panBy, resolveZoom, stepZoom, zoomBy, zoomPercent, zoomTo, zoomTransform, type Size, type ZoomFrame } from './compare-zoom'
import './compare.css'

/** Room kept around a fitted image, in screen pixels. */
const FIT_MARGIN = 16

/** Pinch on a trackpad arrives as a wheel with Ctrl held, in much smaller steps than a wheel's. */
const wheelFactor = (event: WheelEvent): number => Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015))

/**
 * Compare: two to four images side by side, full window on a dark neutral surround whatever the
 * theme (colour is judged against grey, not against a white page), at one scale, zoomed and panned
 * together. Each has Keep (star) and Discard (the gallery's delete, with its confirmation); what
 * made them sits under each, with what differs marked. A generation of more than four pages by
 * fours.
 */
export function CompareView({ onDeleteRequest }: { onDeleteRequest(ids: string[]): void }): ReactNode {
  const stores = useStores()
  const compare = stores.compare.getState
  const ids = useCompare((s) => s.ids)
  const start = useCompare((s) => s.start)
  const details = useCompare((s) => s.details)
  const focused = useCompare((s) => s.focused)
  const zoom = useCompare((s) => s.zoom)
  const galleryImages = useGallery((s) => s.images)
  const providers = useProviders((s) => s.providers)
  const [showInfo, setShowInfo] = useState(true)
  const [stage, setStage] = useState<HTMLDivElement | null>(null)
  const panes = useRef<(HTMLDivElement | null)[]>([])
  const dialogBody = useRef<HTMLDivElement>(null)
  // The first pane's well; every pane is the same size.
  const pane: Size = useElementSize(stage)

  useEffect(() => compare().watch(), [compare])

  const shown = shownIds({ ids, start })
  // The gallery's copy first: a star given here shows at once, as on the tile.
  const images = shown.map((id) => {
    const d = details[id]
    return galleryImages.find((i) => i.id === id) ?? (d?.status === 'ready' ? d.value.image : null)
  })
  // Measured inside a margin, so a fitted image never touches its well's edge.
  const inner = { width: Math.max(0, pane.width - 2 * FIT_MARGIN), height: Math.max(0, pane.height - 2 * FIT_MARGIN) }
  const frame: ZoomFrame = { pane: inner, images: images.flatMap((i) => (i ? [{ width: i.width, height: i.height }] : [])) }

  const words = useMemo(
    () => ({ providerName: (id: string) => providers.find((p) => p.id === id)?.name ?? id, money: (n: number, c: string) => formatMoney(n, c) }),
    [providers],
  )
  const facts: (Fact[] | null)[] = shown.map((id) => {
    const d = details[id]
    return d?.status === 'ready' ? factsOf(d.value, words) : null
  })
  const ready = facts.every((f) => f !== null)
  const differing = ready ? differingFacts(facts as Fact[][]) : new Set<never>()
  const prompts = shown.map((id) => {
    const d = details[id]
    return d?.status === 'ready' ? d.value.settings.prompt : null
  })
  const promptParts = prompts.every((p) => p !== null) ? promptDifferences(prompts as string[]) : null
  const promptsDiffer = promptParts !== null && new Set(prompts).size > 1

  const setZoom = stores.compare.getState().setZoom
  const transform = zoomTransform(zoom, frame)
  const scale = resolveZoom(zoom, frame).scale

  // The wheel must be a non-passive listener to keep the page from scrolling under the zoom.
  const frameRef = useRef(frame)
  frameRef.current = frame
  useEffect(() => {
    const body = dialogBody.current
    if (!body) return
    const onWheel = (event: WheelEvent): void => {
      const well = (event.target as HTMLElement).closest<HTMLElement>('.compare-stage')
      if (!well) return
      event.preventDefault()
      const rect = well.getBoundingClientRect()
      const anchor = { x: event.clientX - rect.left - rect.width / 2, y: event.clientY - rect.top - rect.height / 2 }
      const { zoom: now, setZoom: set } = stores.compare.getState()
      set(zoomBy(now, wheelFactor(event), frameRef.current, anchor))
    }
    body.addEventListener('wheel', onWheel, { passive: false })
    return () => body.removeEventListener('wheel', onWheel)
  }, [stores])

  const startPan = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return
    const well = event.currentTarget
    well.setPointerCapture(event.pointerId)
    let last = { x: event.clientX, y: event.clientY }
    const move = (e: globalThis.PointerEvent): void => {
      const { zoom: now, setZoom: set } = stores.compare.getState()
      set(panBy(now, e.clientX - last.x, e.clientY - last.y, frameRef.current))
      last = { x: e.clientX, y: e.clientY }
    }
    const end = (): void => {
      well.removeEventListener('pointermove', move)
      well.removeEventListener('pointerup', end)
      well.removeEventListener('pointercancel', end)
      well.classList.remove('is-panning')
    }
    well.classList.add('is-panning')
    well.addEventListener('pointermove', move)
    well.addEventListener('pointerup', end)
    well.addEventListener('pointercancel', end)
  }

  // A double click looks closer at that spot (100% there), or back to the whole picture.
  const toggleCloseUp = (event: MouseEvent<HTMLDivElement>): void => {
    const { zoom: now, setZoom: set } = stores.compare.getState()
    if (!now.fit) return set(FIT)
    const rect = event.currentTarget.getBoundingClientRect()
    set(zoomTo(now, 1, frameRef.current, { x: event.clientX - rect.left - rect.width / 2, y: event.clientY - rect.top - rect.height / 2 }))
  }

  const moveFocus = (index: number): void => {
    compare().focus(index)
    panes.current[Math.max(0, Math.min(shown.length - 1, index))]?.focus()
  }

  const keep = (index: number): void => {
    const image = images[index]
    if (image) void stores.gallery.getState().toggleFavorite(image)
  }
  const discard = (index: number): void => {
    const id = shown[index]
    if (id) onDeleteRequest([id])
  }

  // After a discard the confirmation closes onto a button that is gone: focus the pane in its place.
  const shownKey = shown.join(',')
  useEffect(() => {
    const refocus = (): void => {
      const active = document.activeElement
      if (!active || active === document.body) panes.current[compare().focused]?.focus()
    }
    const other = [...document.querySelectorAll('dialog[open]')].find((d) => !d.classList.contains('compare-dialog'))
    if (!other) return refocus()
    const onClose = (): void => {
      setTimeout(refocus, 0)
    }
    other.addEventListener('close', onClose, { once: true })
    return () => other.removeEventListener('close', onClose)
  }, [shownKey, compare])

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const key = event.key
    const focusedIndex = compare().focused
    if (key === 'ArrowLeft' || key === 'ArrowRight') moveFocus(focusedIndex + (key === 'ArrowLeft' ? -1 : 1))
    else if (key === '+' || key === '=') setZoom(stepZoom(zoom, 1, frame))
    else if (key === '-' || key === '_') setZoom(stepZoom(zoom, -1, frame))
    else if (key === '0') setZoom(FIT)
    else if (key === '1') setZoom(actualSize(frame))
    else if (key.toLowerCase() === 'i') setShowInfo((on) => !on)
    else if (key.toLowerCase() === 'f' && (event.target as HTMLElement).closest('.compare-pane')) keep(focusedIndex)
    else if (key === 'Delete' && (event.target as HTMLElement).closest('.compare-pane')) discard(focusedIndex)
    else if (key === 'PageDown') compare().page(1)
    else if (key === 'PageUp') compare().page(-1)
    else return
    event.preventDefault()
  }

  const last = Math.min(ids.length, start + MAX_COMPARED)
  return (
    <ModalDialog labelledBy="compare-title" onClose={() => compare().close()} className="compare-dialog">
      <section className="compare" aria-labelledby="compare-title" onKeyDown={onKeyDown}>
        <header className="compare-toolbar">
          <h2 id="compare-title">Compare</h2>
          <p className="compare-count">
            {ids.length > MAX_COMPARED ? `Images ${start + 1}–${last} of ${ids.length}` : `${ids.length} images`}
          </p>
          {ids.length > MAX_COMPARED ? (
            <div className="compare-paging">
              <button type="button" className="button-quiet" aria-label="Previous images" title="Previous images (Page Up)" disabled={start === 0} onClick={() => compare().page(-1)}>
                ‹
              </button>
              <button type="button" className="button-quiet" aria-label="Next images" title="Next images (Page Down)" disabled={last >= ids.length} onClick={() => compare().page(1)}>
                ›
              </button>
            </div>
          ) : null}
          <span className="compare-spacer" />
          <div className="compare-zoom" role="toolbar" aria-label="Zoom">
            <button type="button" className="button-quiet" aria-label="Zoom out" title="Zoom out (−)" onClick={() => setZoom(stepZoom(zoom, -1, frame))}>
              −
            </button>
            <output className="compare-zoom-level" aria-label="Zoom level" aria-live="polite">
              {zoomPercent(zoom, frame)}
            </output>
            <button type="button" className="button-quiet" aria-label="Zoom in" title="Zoom in (+)" onClick={() => setZoom(stepZoom(zoom, 1, frame))}>
              +
            </button>
            <button type="button" className="button-quiet" aria-pressed={zoom.fit} aria-label="Fit" title="Fit every image in its pane (0)" onClick={() => setZoom(FIT)}>
              Fit
            </button>
            <button
              type="button"
              className="button-quiet"
              aria-pressed={!zoom.fit && zoom.scale === 1}
              aria-label="100%"
              title="One image pixel per screen pixel (1)"
              onClick={() => setZoom(actualSize(frame))}
            >
              100%
            </button>
          </div>
          <button type="button" className="button-quiet" aria-pressed={showInfo} title="Show the prompt and settings under each image (I)" onClick={() => setShowInfo((on) => !on)}>
            Details
          </button>
          <button type="button" className="button-quiet compare-close" title="Close (Esc)" onClick={() => compare().close()}>
            Close
          </button>
        </header>
        <p className="compare-keys" id="compare-keys">
          <kbd>←</kbd> <kbd>→</kbd> step · <kbd>+</kbd> <kbd>−</kbd> <kbd>0</kbd> <kbd>1</kbd> zoom · drag to pan · double-click to look closer · <kbd>F</kbd> keep ·{' '}
          <kbd>Delete</kbd> discard · <kbd>Esc</kbd> close
        </p>
        <div ref={dialogBody} className="compare-panes" style={{ gridTemplateColumns: `repeat(${shown.length}, minmax(0, 1fr))` }}>
          {shown.map((id, index) => {
            const image = images[index] ?? null
            return (
              <ComparePane
                key={id}
                index={index}
                count={shown.length}
                image={image}
                src={image ? stores.api.mediaUrl(image.file) : null}
                detail={details[id]}
                facts={facts[index] ?? null}
                prompt={promptParts?.[index] ?? null}
                differing={differing}
                promptDiffers={promptsDiffer}
                transform={transform}
                crisp={scale > 1.5}
                focused={index === focused}
                showInfo={showInfo}
                paneRef={(el) => {
                  panes.current[index] = el
                }}
                {...(index === 0 ? { stageRef: setStage } : {})}
                onFocus={() => index !== compare().focused && compare().focus(index)}
                onKeep={() => keep(index)}
                onDiscard={() => discard(index)}
                onPointerDown={startPan}
                onDoubleClick={toggleCloseUp}
              />
            )
          })}
        </div>
      </section>
    </ModalDialog>
  )
}
