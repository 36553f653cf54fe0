import { describe, expect, it } from 'vitest'
import {
  actualSize,
  FIT,
  fitScale,
  MAX_SCALE,
  panBy,
  resolveZoom,
  stepZoom,
  zoomBy,
  zoomPercent,
  zoomTransform,
  type ZoomFrame,
} from '../../src/renderer/src/gallery/compare/compare-zoom'

// Two panes of 400 x 600 showing a square image beside a landscape one.
const frame: ZoomFrame = { pane: { width: 400, height: 600 }, images: [{ width: 1024, height: 1024 }, { width: 1536, height: 1024 }] }

describe('compare zoom: one scale and offset for every pane', () => {
  it('fits the widest image, so both share one scale, and never enlarges small ones', () => {
    expect(fitScale(frame)).toBeCloseTo(400 / 1536)
    expect(fitScale({ pane: { width: 4000, height: 4000 }, images: [{ width: 512, height: 512 }] })).toBe(1)
    expect(fitScale({ pane: { width: 0, height: 0 }, images: frame.images })).toBe(1)
    expect(resolveZoom(FIT, frame)).toEqual({ fit: true, scale: 400 / 1536, x: 0, y: 0 })
  })

  it('steps up from the scale fitting shows, and down again to it', () => {
    const up = stepZoom(FIT, 1, frame)
    expect(up).toMatchObject({ fit: false, scale: 0.5, x: 0, y: 0 })
    expect(stepZoom(up, 1, frame).scale).toBe(0.75)
    expect(stepZoom(up, -1, frame).scale).toBe(0.25)
    expect(stepZoom({ fit: false, scale: MAX_SCALE, x: 0, y: 0 }, 1, frame).scale).toBe(MAX_SCALE)
  })

  it('zooms about the pointer: the image point under it stays under it', () => {
    const start = actualSize(frame)
    const anchor = { x: 100, y: -50 }
    const zoomed = zoomBy(start, 2, frame, anchor)
    expect(zoomed.scale).toBe(2)
    // The image point under the pointer, (anchor - offset) / scale, is the same before and after.
    expect((anchor.x - zoomed.x) / zoomed.scale).toBeCloseTo((anchor.x - start.x) / start.scale)
    expect((anchor.y - zoomed.y) / zoomed.scale).toBeCloseTo((anchor.y - start.y) / start.scale)
  })

  it('pans only while the images are larger than the pane, and never past their edges', () => {
    expect(panBy(FIT, 50, 50, frame)).toBe(FIT)
    const at100 = actualSize(frame)
    expect(panBy(at100, 60, 40, frame)).toMatchObject({ x: 60, y: 40 })
    // 1536 wide at 100% in a 400 wide pane: at most (1536 - 400) / 2 either way; 1024 tall in 600: 212.
    expect(panBy(at100, 5000, -5000, frame)).toMatchObject({ x: 568, y: -212 })
    // Zooming out pulls an offset back in: at fit there is nothing to pan.
    const panned = panBy(at100, 500, 200, frame)
    expect(zoomBy(panned, 0.1, frame)).toMatchObject({ x: 0, y: 0 })
  })

  it('writes one transform every pane applies, and the percentage the toolbar shows', () => {
    const zoomed = panBy(actualSize(frame), 12.3456, -7, frame)
    expect(zoomTransform(zoomed, frame)).toBe('translate(12.346px, -7px) scale(1)')
    expect(zoomTransform(FIT, frame)).toBe('translate(0px, 0px) scale(0.26)')
    expect(zoomPercent(FIT, frame)).toBe('26%')
  })
})
