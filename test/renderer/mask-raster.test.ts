import { describe, expect, it } from 'vitest'
import {
  applyAction,
  applyStroke,
  brushRadius,
  coverageFromPixels,
  emptyCoverage,
  maskPixels,
  overlayPixels,
  paintedShare,
  replay,
  type Coverage,
  type MaskAction,
} from '../../src/renderer/src/generate/mask/mask-raster'
import { canRedo, canUndo, emptyHistory, record, redo, undo } from '../../src/renderer/src/generate/mask/mask-history'

const at = (c: Coverage, x: number, y: number): number => c.cells[y * c.width + x]!

describe('mask rasterising', () => {
  it('paints a round-capped stroke: pixels within the radius of the segment, none beyond', () => {
    const c = emptyCoverage(100, 60)
    const dirty = applyStroke(c, 'paint', [
      { x: 20, y: 30, radius: 5 },
      { x: 80, y: 30, radius: 5 },
    ])
    // Along the line and at both round caps.
    for (const x of [20, 50, 79]) expect(at(c, x, 30)).toBe(1)
    expect(at(c, 50, 26)).toBe(1)
    expect(at(c, 16, 30)).toBe(1)
    // Just outside the radius, above, below and past the caps.
    expect(at(c, 50, 24)).toBe(0)
    expect(at(c, 50, 35)).toBe(0)
    expect(at(c, 13, 30)).toBe(0)
    expect(at(c, 86, 30)).toBe(0)
    expect(dirty).toEqual({ x: 15, y: 25, width: 70, height: 10 })
    // A 60 px long, 10 px wide capsule: about (60*10 + pi*25) / 6000 of the image.
    expect(paintedShare(c)).toBeCloseTo((600 + Math.PI * 25) / 6000, 2)
  })

  it('tapers with pressure and clips strokes at the image edge', () => {
    const c = emptyCoverage(40, 40)
    applyStroke(c, 'paint', [
      { x: -10, y: 5, radius: 2 },
      { x: 30, y: 5, radius: 6 },
    ])
    expect(at(c, 0, 5)).toBe(1)
    expect(at(c, 5, 9)).toBe(0) // thin near the light end
    expect(at(c, 29, 9)).toBe(1) // wide near the firm end
  })

  it('erases, inverts and clears', () => {
    const c = emptyCoverage(20, 20)
    applyAction(c, { kind: 'stroke', mode: 'paint', points: [{ x: 10, y: 10, radius: 6 }] })
    applyAction(c, { kind: 'stroke', mode: 'erase', points: [{ x: 10, y: 10, radius: 2 }] })
    expect(at(c, 10, 10)).toBe(0)
    expect(at(c, 10, 14)).toBe(1)
    applyAction(c, { kind: 'invert' })
    expect(at(c, 10, 10)).toBe(1)
    expect(at(c, 10, 14)).toBe(0)
    expect(at(c, 0, 0)).toBe(1)
    applyAction(c, { kind: 'clear' })
    expect(paintedShare(c)).toBe(0)
  })

  it('writes the provider mask: alpha 0 where painted, opaque elsewhere, and reads it back', () => {
    const c = emptyCoverage(4, 2)
    applyStroke(c, 'paint', [{ x: 0.5, y: 0.5, radius: 0.6 }])
    const rgba = maskPixels(c)
    expect(Array.from(rgba.slice(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 255])
    expect(Array.from(rgba.filter((_, i) => i % 4 === 3))).toEqual([0, 255, 255, 255, 255, 255, 255, 255])
    expect(coverageFromPixels(4, 2, rgba).cells).toEqual(c.cells)
  })

  it('scales the brush by pen pressure only', () => {
    expect(brushRadius(40, 'mouse', 0.5)).toBe(20)
    expect(brushRadius(40, 'touch', 0)).toBe(20)
    expect(brushRadius(40, 'pen', 0.5)).toBe(10)
    expect(brushRadius(40, 'pen', 0.01)).toBe(4)
    expect(brushRadius(40, 'pen', 0)).toBe(20)
  })
})

describe('mask undo stack', () => {
  it('undoes and redoes steps, and a new step drops what was undone', () => {
    const base = emptyCoverage(10, 10)
    const dot = { kind: 'stroke' as const, mode: 'paint' as const, points: [{ x: 2, y: 2, radius: 1 }] }
    let h = record(record(emptyHistory<MaskAction>(), dot), { kind: 'invert' as const })
    expect(at(replay(base, h.done), 2, 2)).toBe(0)
    h = undo(h)
    expect(at(replay(base, h.done), 2, 2)).toBe(1)
    expect(canRedo(h)).toBe(true)
    h = redo(h)
    expect(h.done.map((s) => s.kind)).toEqual(['stroke', 'invert'])
    h = record(undo(undo(h)), { kind: 'clear' as const })
    expect(h.done.map((s) => s.kind)).toEqual(['clear'])
    expect(canRedo(h)).toBe(false)
    expect(canUndo(undo(h))).toBe(false)
    expect(undo(undo(h))).toEqual(undo(h))
    // Replaying never touches the base the painter opened with.
    expect(paintedShare(base)).toBe(0)
  })
})

describe('mask overlay', () => {
  it('stripes the painted area in the accent and white, and leaves the rest clear', () => {
    const c = emptyCoverage(8, 1)
    applyStroke(c, 'paint', [{ x: 3, y: 0.5, radius: 3 }])
    const px = overlayPixels(c, { x: 0, y: 0, width: 8, height: 1 }, [10, 20, 30], 2)
    const colour = (i: number) => Array.from(px.slice(i * 4, i * 4 + 4))
    expect(colour(0)).toEqual([10, 20, 30, 255])
    expect(colour(2)).toEqual([255, 255, 255, 255])
    expect(colour(4)).toEqual([10, 20, 30, 255])
    expect(colour(7)).toEqual([0, 0, 0, 0])
  })
})
