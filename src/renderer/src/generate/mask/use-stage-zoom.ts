import { useEffect, useLayoutEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react'

/**
 * Zoom for the mask painter's stage: "fit" follows the room the dialog gives the image, a number
 * is a fixed scale, and the wheel zooms around the pointer (the image point under it stays put).
 * The stage sits in a scrolling box, so a zoomed-in image pans by scrolling.
 */

export type Zoom = 'fit' | number

export const MIN_ZOOM = 0.05
export const MAX_ZOOM = 8
const WHEEL_STEP = 1.15
/** Room kept around a fitted image, in screen pixels. */
const FIT_MARGIN = 48

export interface StageZoom {
  zoom: Zoom
  setZoom: Dispatch<SetStateAction<Zoom>>
  /** Screen pixels per reference pixel now. */
  scale: number
  /** One step in (1) or out (-1), as + and - do. */
  zoomStep(by: 1 | -1): void
}

export function useStageZoom(scroller: RefObject<HTMLDivElement | null>, stage: RefObject<HTMLDivElement | null>, width: number, height: number): StageZoom {
  const [zoom, setZoom] = useState<Zoom>('fit')
  const [fit, setFit] = useState(1)
  // Where the wheel was, applied once the new size is laid out.
  const anchor = useRef<{ imageX: number; imageY: number; screenX: number; screenY: number } | null>(null)
  const scale = zoom === 'fit' ? fit : zoom

  // Fit follows the room the dialog gives the image.
  useLayoutEffect(() => {
    const box = scroller.current
    if (!box) return
    const measure = (): void => {
      const room = { w: box.clientWidth - FIT_MARGIN, h: box.clientHeight - FIT_MARGIN }
      setFit(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, room.w / width, room.h / height)))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(box)
    return () => observer.disconnect()
  }, [scroller, width, height])

  useLayoutEffect(() => {
    const wanted = anchor.current
    const box = scroller.current
    const inner = stage.current
    if (!wanted || !box || !inner) return
    anchor.current = null
    box.scrollLeft = inner.offsetLeft + wanted.imageX * scale - wanted.screenX
    box.scrollTop = inner.offsetTop + wanted.imageY * scale - wanted.screenY
  }, [scroller, stage, scale])

  // React's wheel listener is passive; zooming must stop the page from scrolling instead.
  useEffect(() => {
    const box = scroller.current
    if (!box) return
    const onWheel = (event: WheelEvent): void => {
      const inner = stage.current
      if (!inner) return
      event.preventDefault()
      const rect = inner.getBoundingClientRect()
      const boxRect = box.getBoundingClientRect()
      setZoom((z) => {
        const current = z === 'fit' ? fit : z
        const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, event.deltaY < 0 ? current * WHEEL_STEP : current / WHEEL_STEP))
        anchor.current = {
          imageX: (event.clientX - rect.left) / current,
          imageY: (event.clientY - rect.top) / current,
          screenX: event.clientX - boxRect.left,
          screenY: event.clientY - boxRect.top,
        }
        return next
      })
    }
    box.addEventListener('wheel', onWheel, { passive: false })
    return () => box.removeEventListener('wheel', onWheel)
  }, [scroller, stage, fit])


  const zoomStep = (by: 1 | -1): void => setZoom((z) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, (z === 'fit' ? fit : z) * (by > 0 ? 1.25 : 0.8))))
  return { zoom, setZoom, scale, zoomStep }
}
