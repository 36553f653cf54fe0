import { useLayoutEffect, useState, type DragEvent, type ReactNode, type RefObject } from 'react'

/** Fit to the viewer, or a fixed scale of the image's own pixels. */
export type Zoom = 'fit' | number

export const ZOOM_STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4] as const

/** The next step up or down from the current zoom; from "fit", from the scale fitting shows. */
export function stepZoom(zoom: Zoom, fitScale: number, direction: 1 | -1): number {
  const current = zoom === 'fit' ? fitScale : zoom
  if (direction > 0) return ZOOM_STEPS.find((s) => s > current + 1e-6) ?? ZOOM_STEPS.at(-1)!
  return [...ZOOM_STEPS].reverse().find((s) => s < current - 1e-6) ?? ZOOM_STEPS[0]
}

/** The scale "fit" shows the image at in `viewer` (never above 1: small images are not blown up). */
export function fitScale(viewer: HTMLElement | null, width: number, height: number): number {
  if (!viewer || !viewer.clientWidth || !viewer.clientHeight) return 1
  return Math.min(1, viewer.clientWidth / width, viewer.clientHeight / height)
}

/** The scale shown, as a percentage: fitting shows the scale it fits at, never the word "Fit" twice. */
export function zoomLabel(zoom: Zoom, fit: number): string {
  return `${Math.round((zoom === 'fit' ? fit : zoom) * 100)}%`
}

export interface ZoomableImageProps {
  src: string
  alt: string
  width: number
  height: number
  zoom: Zoom
  onZoom(zoom: Zoom): void
  /** The scrolling viewer, shared with whoever handles the zoom keys. */
  viewerRef: RefObject<HTMLDivElement | null>
  onDragStart?(event: DragEvent<HTMLImageElement>): void
}

/**
 * The full image in a scrolling viewer, with a zoom toolbar that reads "− 42% +  Fit  100%": out,
 * the scale shown, in, then the two presets. The keys (+, −, 0, 1) are the dialog's.
 */
export function ZoomableImage(props: ZoomableImageProps): ReactNode {
  const fit = (): number => fitScale(props.viewerRef.current, props.width, props.height)
  const { viewerRef, width, height } = props
  const [fitNow, setFitNow] = useState(1)
  useLayoutEffect(() => {
    const viewer = viewerRef.current
    const update = (): void => setFitNow(fitScale(viewer, width, height))
    update()
    if (!viewer || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(update)
    observer.observe(viewer)
    return () => observer.disconnect()
  }, [viewerRef, width, height])
  const sized = props.zoom === 'fit' ? undefined : { width: props.width * props.zoom, height: props.height * props.zoom }

  return (
    <div className="zoom">
      <div className="zoom-tools" role="toolbar" aria-label="Zoom">
        <button type="button" className="button-quiet" aria-label="Zoom out" title="Zoom out (−)" onClick={() => props.onZoom(stepZoom(props.zoom, fit(), -1))}>
          −
        </button>
        <output className="zoom-level" aria-label="Zoom level" aria-live="polite">
          {zoomLabel(props.zoom, fitNow)}
        </output>
        <button type="button" className="button-quiet" aria-label="Zoom in" title="Zoom in (+)" onClick={() => props.onZoom(stepZoom(props.zoom, fit(), 1))}>
          +
        </button>
        <span className="zoom-divider" aria-hidden="true" />
        <button
          type="button"
          className="button-quiet"
          aria-pressed={props.zoom === 'fit'}
          aria-label="Fit to window"
          title="Fit the whole image in the window (0)"
          onClick={() => props.onZoom('fit')}
        >
          Fit
        </button>
        <button
          type="button"
          className="button-quiet"
          aria-pressed={props.zoom === 1}
          aria-label="100% (actual size)"
          title="One image pixel per screen pixel (1)"
          onClick={() => props.onZoom(1)}
        >
          100%
        </button>
      </div>
      <div ref={props.viewerRef} className={`zoom-viewer${props.zoom === 'fit' ? ' is-fit' : ''}`}>
        <img
          src={props.src}
          alt={props.alt}
          draggable
          onDragStart={props.onDragStart}
          {...(sized ? { style: { width: sized.width, height: sized.height } } : {})}
        />
      </div>
    </div>
  )
}
