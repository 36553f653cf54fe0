import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react'
import { ModalDialog } from '../../ui/ModalDialog'
import { ErrorNote } from '../../ui/ErrorNote'
import { formatBytes } from '../../../../shared/format/bytes'
import type { ErrorNoteData } from '../../ui/format/error-note'
import type { FileReference } from '../references/reference-rules'
import { canRedo, canUndo, emptyHistory, record, redo, undo, type History } from './mask-history'
import {
  applyAction,
  applyStroke,
  brushRadius,
  copyCoverage,
  emptyCoverage,
  overlayPixels,
  paintedShare,
  replay,
  stripeWidth,
  type Coverage,
  type MaskAction,
  type PixelRect,
  type StrokePoint,
} from './mask-raster'
import { encodeMask, loadCoverage } from './mask-file'
import { useStageZoom } from './use-stage-zoom'
import './mask.css'

export interface MaskPainterProps {
  /** The image being edited (the first reference): the mask gets exactly its pixel size. */
  reference: FileReference
  /** The mask saved before, painted on again; null starts clean. */
  mask: FileReference | null
  providerName: string
  /** The provider's limit for a mask file in bytes; 0 when it documents none. */
  maxMaskBytes: number
  onSave(png: Blob): Promise<ErrorNoteData | null>
  onClose(): void
}

type Tool = 'paint' | 'erase'

/** Brush sizes in the reference's own pixels, so a size means the same at every zoom. */
function brushLimits(width: number, height: number): { min: number; max: number; start: number } {
  const long = Math.max(width, height)
  const max = Math.max(16, Math.round(long / 3))
  return { min: 2, max, start: Math.min(max, Math.max(8, Math.round(Math.min(width, height) / 12))) }
}

/** "rgb(79, 70, 229)" as numbers; the accent when the theme gives something unexpected. */
function rgbOf(color: string): [number, number, number] {
  const parts = color.match(/\d+(\.\d+)?/g)?.map(Number) ?? []
  return parts.length >= 3 ? [parts[0]!, parts[1]!, parts[2]!] : [79, 70, 229]
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const MOD = isMac ? '⌘' : 'Ctrl'

/**
 * The mask painter: the reference with the painted area tinted over it. Brush and eraser (mouse,
 * pen with pressure, touch), a size in the reference's pixels, invert, clear, undo and redo,
 * zoom to fit, to 100% or by the wheel around the pointer, Space or the middle button to pan.
 * Save writes a PNG of exactly the reference's size, transparent where the provider repaints.
 */
export function MaskPainter({ reference, mask, providerName, maxMaskBytes, onSave, onClose }: MaskPainterProps): ReactNode {
  const { width, height } = reference
  const titleId = useId()
  const sizeId = useId()
  const limits = brushLimits(width, height)
  const [tool, setTool] = useState<Tool>('paint')
  const [size, setSize] = useState(limits.start)
  const [history, setHistory] = useState<History<MaskAction>>(emptyHistory)
  const [share, setShare] = useState(0)
  const [loading, setLoading] = useState(mask !== null)
  const [problem, setProblem] = useState<ErrorNoteData | null>(null)
  const [saving, setSaving] = useState(false)
  const [confirmDiscard, setConfirmDiscard] = useState(false)
  const [cursor, setCursor] = useState<{ x: number; y: number } | null>(null)
  const [panning, setPanning] = useState(false)

  const base = useRef<Coverage>(emptyCoverage(width, height))
  const coverage = useRef<Coverage>(emptyCoverage(width, height))
  const overlay = useRef<HTMLCanvasElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const stage = useRef<HTMLDivElement>(null)
  const stroke = useRef<{ pointerId: number; mode: Tool; points: StrokePoint[] } | null>(null)
  const pan = useRef<{ pointerId: number; x: number; y: number; left: number; top: number } | null>(null)
  const space = useRef(false)
  const { zoom, setZoom, scale, zoomStep } = useStageZoom(scroller, stage, width, height)

  const draw = useCallback((rect: PixelRect) => {
    const canvas = overlay.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx || rect.width === 0 || rect.height === 0) return
    const pixels = overlayPixels(coverage.current, rect, rgbOf(getComputedStyle(canvas).color), stripeWidth(width, height))
    ctx.putImageData(new ImageData(pixels, rect.width, rect.height), rect.x, rect.y)
  }, [width, height])
  const redrawAll = useCallback(() => {
    draw({ x: 0, y: 0, width, height })
    setShare(paintedShare(coverage.current))
  }, [draw, width, height])

  // A saved mask is painted on again: read once when the painter opens.
  useEffect(() => {
    if (!mask) return
    let live = true
    loadCoverage(mask.preview, width, height)
      .then((loaded) => {
        if (!live) return
        base.current = loaded
        coverage.current = copyCoverage(loaded)
        redrawAll()
      })
      .catch(() => {
        if (live) setProblem({ message: 'The saved mask could not be read, so the painter starts clean.', fix: 'Paint the area again and save.' })
      })
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [mask, width, height, redrawAll])

  const commit = (action: MaskAction, next: History<MaskAction> = record(history, action)): void => {
    setHistory(next)
    setProblem(null)
    setConfirmDiscard(false)
  }
  const run = (action: MaskAction): void => {
    draw(applyAction(coverage.current, action))
    setShare(paintedShare(coverage.current))
    commit(action)
  }
  const stepHistory = (next: History<MaskAction>): void => {
    if (next === history) return
    coverage.current = replay(base.current, next.done)
    redrawAll()
    setHistory(next)
  }

  const imagePoint = (event: { clientX: number; clientY: number }): { x: number; y: number } => {
    const rect = stage.current!.getBoundingClientRect()
    return { x: ((event.clientX - rect.left) * width) / rect.width, y: ((event.clientY - rect.top) * height) / rect.height }
  }
  const sample = (event: { clientX: number; clientY: number; pointerType: string; pressure: number }): StrokePoint => ({
    ...imagePoint(event),
    radius: brushRadius(size, event.pointerType, event.pressure),
  })

  /** Captured, so a stroke that leaves the image (or the dialog) ends here and closes nothing. */
  const capture = (event: PointerEvent<HTMLDivElement>): void => {
    try {
      event.currentTarget.setPointerCapture(event.pointerId)
    } catch {
      // A pointer the browser no longer tracks (lifted already, or synthesised): paint without capture.
    }
  }
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (loading || stroke.current || pan.current) return
    const box = scroller.current!
    if (event.button === 1 || space.current) {
      event.preventDefault()
      capture(event)
      pan.current = { pointerId: event.pointerId, x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop }
      setPanning(true)
      return
    }
    if (event.button !== 0) return
    event.preventDefault()
    capture(event)
    const mode: Tool = event.altKey ? (tool === 'paint' ? 'erase' : 'paint') : tool
    const points = [sample(event.nativeEvent)]
    stroke.current = { pointerId: event.pointerId, mode, points }
    draw(applyStroke(coverage.current, mode, points))
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const dragging = pan.current
    if (dragging && dragging.pointerId === event.pointerId) {
      scroller.current!.scrollLeft = dragging.left - (event.clientX - dragging.x)
      scroller.current!.scrollTop = dragging.top - (event.clientY - dragging.y)
      return
    }
    setCursor(imagePoint(event))
    const live = stroke.current
    if (!live || live.pointerId !== event.pointerId) return
    // A fast pen reports several samples per frame: all of them, so curves stay round.
    const samples = event.nativeEvent.getCoalescedEvents?.() ?? []
    const from = live.points.length
    for (const e of samples.length > 0 ? samples : [event.nativeEvent]) live.points.push(sample(e))
    draw(applyStroke(coverage.current, live.mode, live.points, from))
  }
  const endPointer = (event: PointerEvent<HTMLDivElement>): void => {
    if (pan.current?.pointerId === event.pointerId) {
      pan.current = null
      setPanning(false)
      return
    }
    const live = stroke.current
    if (!live || live.pointerId !== event.pointerId) return
    stroke.current = null
    setShare(paintedShare(coverage.current))
    commit({ kind: 'stroke', mode: live.mode, points: live.points })
  }

  const save = async (): Promise<void> => {
    // A mask with nothing transparent would ask the provider to change nothing: Remove says that better.
    if (saving || loading || paintedShare(coverage.current) === 0) return
    setSaving(true)
    setProblem(null)
    try {
      const png = await encodeMask(coverage.current)
      // OpenAI asks for a mask "less than 4MB".
      if (maxMaskBytes > 0 && png.size >= maxMaskBytes) {
        setProblem({
          message: `The mask is ${formatBytes(png.size)}; ${providerName} takes masks under ${formatBytes(maxMaskBytes)}.`,
          fix: 'Paint with fewer, broader strokes (a scattered mask compresses poorly), or use a smaller reference image.',
        })
        return
      }
      const refused = await onSave(png)
      if (refused) setProblem(refused)
    } catch (err) {
      setProblem({ message: (err as Error).message })
    } finally {
      setSaving(false)
    }
  }

  const dirty = canUndo(history)
  const requestClose = (): void => {
    if (dirty && !confirmDiscard) setConfirmDiscard(true)
    else onClose()
  }

  const resize = (by: 1 | -1): void =>
    setSize((s) => Math.min(limits.max, Math.max(limits.min, Math.round(by > 0 ? Math.max(s + 1, s * 1.25) : Math.min(s - 1, s / 1.25)))))

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const mod = event.ctrlKey || event.metaKey
    const key = event.key.toLowerCase()
    if (event.key === ' ' && !(event.target as HTMLElement).closest('button, input')) {
      space.current = true
      event.preventDefault()
      return
    }
    const keys: Record<string, (() => void) | undefined> = mod
      ? {
          z: () => stepHistory(event.shiftKey ? redo(history) : undo(history)),
          y: () => stepHistory(redo(history)),
          i: () => run({ kind: 'invert' }),
          enter: () => void save(),
        }
      : {
          '[': () => resize(-1),
          ']': () => resize(1),
          b: () => setTool('paint'),
          e: () => setTool('erase'),
          x: () => setTool((t) => (t === 'paint' ? 'erase' : 'paint')),
          '0': () => setZoom('fit'),
          '1': () => setZoom(1),
          '+': () => zoomStep(1),
          '=': () => zoomStep(1),
          '-': () => zoomStep(-1),
        }
    const handler = keys[key]
    if (!handler || event.altKey) return
    event.preventDefault()
    handler()
  }
  const onKeyUp = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === ' ') space.current = false
  }

  const brushOnScreen = size * scale
  const percent = share === 0 ? 'Nothing painted yet' : `${share < 0.001 ? '<0.1' : (share * 100).toFixed(share < 0.1 ? 1 : 0)}% of the image will be repainted`

  return (
    <ModalDialog labelledBy={titleId} onClose={requestClose} className="mask-dialog">
      <div className="mask-painter" onKeyDown={onKeyDown} onKeyUp={onKeyUp}>
        <header className="mask-header">
          <div className="mask-title">
            <h2 id={titleId}>Mask</h2>
            <p className="hint">
              Paint over what {providerName} should repaint; the rest of the image stays as it is.
            </p>
          </div>
          <div className="mask-header-actions">
            <button type="button" className="button-quiet" onClick={requestClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button-primary"
              disabled={saving || loading || share === 0}
              onClick={() => void save()}
              title={share === 0 ? 'Paint the area to repaint first' : `Save mask (${MOD}+Enter)`}
            >
              {saving ? 'Saving…' : 'Save mask'}
            </button>
          </div>
        </header>

        <div className="mask-toolbar" role="group" aria-label="Mask tools">
          <div className="segmented mask-segmented" role="group" aria-label="Tool">
            <button type="button" data-autofocus aria-pressed={tool === 'paint'} onClick={() => setTool('paint')} title="Brush: paint what to repaint (B)">
              Brush
            </button>
            <button type="button" aria-pressed={tool === 'erase'} onClick={() => setTool('erase')} title="Eraser: keep what you erase (E; X swaps)">
              Eraser
            </button>
          </div>
          <div className="mask-size">
            <label htmlFor={sizeId}>Brush size</label>
            <input
              id={sizeId}
              type="range"
              min={limits.min}
              max={limits.max}
              value={size}
              onChange={(event) => setSize(Number(event.target.value))}
              title="Brush size ([ smaller, ] larger)"
            />
            <output htmlFor={sizeId} className="mask-size-value">
              {size} px
            </output>
          </div>
          <span className="mask-toolbar-gap" aria-hidden="true" />
          <button type="button" className="button-quiet" onClick={() => run({ kind: 'invert' })} title={`Invert: repaint everything but the painted area (${MOD}+I)`}>
            Invert
          </button>
          <button type="button" className="button-quiet" disabled={share === 0} onClick={() => run({ kind: 'clear' })} title="Clear the whole mask">
            Clear
          </button>
          <span className="mask-toolbar-gap" aria-hidden="true" />
          <button type="button" className="button-quiet" disabled={!canUndo(history)} onClick={() => stepHistory(undo(history))} title={`Undo (${MOD}+Z)`}>
            Undo
          </button>
          <button type="button" className="button-quiet" disabled={!canRedo(history)} onClick={() => stepHistory(redo(history))} title={`Redo (Shift+${MOD}+Z)`}>
            Redo
          </button>
          <span className="mask-toolbar-spacer" aria-hidden="true" />
          <div className="segmented mask-segmented" role="group" aria-label="Zoom">
            <button type="button" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')} aria-label="Zoom to fit" title="Fit the image in the window (0)">
              Fit
            </button>
            <button type="button" aria-pressed={zoom === 1} onClick={() => setZoom(1)} aria-label="Zoom to 100%" title="Actual pixels (1)">
              100%
            </button>
          </div>
          <span className="mask-zoom-value" aria-live="polite">
            {Math.round(scale * 100)}%
          </span>
        </div>

        <div ref={scroller} className={panning ? 'mask-scroller is-panning' : 'mask-scroller'}>
          <div
            ref={stage}
            className="mask-stage"
            style={{ width: width * scale, height: height * scale }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={endPointer}
            onPointerCancel={endPointer}
            onPointerLeave={() => setCursor(null)}
          >
            <img className="mask-reference" src={reference.preview} alt={reference.name} draggable={false} />
            <canvas ref={overlay} className="mask-canvas" width={width} height={height} aria-label={`Mask canvas, ${width}×${height} pixels`} />
            {cursor && !panning ? (
              <span
                className={tool === 'erase' ? 'mask-cursor is-erase' : 'mask-cursor'}
                aria-hidden="true"
                style={{ width: brushOnScreen, height: brushOnScreen, left: cursor.x * scale, top: cursor.y * scale }}
              />
            ) : null}
          </div>
        </div>

        <footer className="mask-footer">
          {confirmDiscard ? (
            <div className="mask-discard" role="alert">
              <span>Close without saving? The painted mask is lost.</span>
              <button type="button" className="button-quiet" onClick={() => setConfirmDiscard(false)}>
                Keep painting
              </button>
              <button type="button" className="button-quiet button-danger" onClick={onClose}>
                Discard
              </button>
            </div>
          ) : problem ? (
            <ErrorNote error={problem} />
          ) : (
            <p className="mask-status" role="status">
              {loading ? 'Reading the saved mask…' : percent} · {width}×{height} px
            </p>
          )}
          <p className="hint mask-keys">
            <kbd>B</kbd> brush · <kbd>E</kbd> eraser · <kbd>[</kbd> <kbd>]</kbd> size · <kbd>{MOD}</kbd>+<kbd>Z</kbd> undo · wheel zoom · <kbd>Space</kbd>+drag pan
          </p>
        </footer>
      </div>
    </ModalDialog>
  )
}
