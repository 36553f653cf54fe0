import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import type { ProviderSummary } from '../../../../shared/api'
import { ChannelPresets } from './ChannelPresets'
import { CustomSizeField } from './CustomSizeField'

/**
 * Channel presets and custom sizes, in a popover beside the prompt bar: the bar has no room for a
 * dozen presets and must stay in view at 1280x800. A non-modal dialog: Escape or a click outside
 * closes it and focus goes back to its button.
 */
export function MoreSizes(props: { provider: ProviderSummary; chosen: readonly string[]; onToggle(label: string, on: boolean): void }): ReactNode {
  const [open, setOpen] = useState(false)
  const [place, setPlace] = useState<{ top: number; left: number; maxHeight: number } | null>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const panelId = useId()
  const titleId = useId()

  const close = (returnFocus: boolean): void => {
    setOpen(false)
    setPlace(null)
    if (returnFocus) buttonRef.current?.focus()
  }

  // Beside the bar, level with the button, and inside the window.
  useLayoutEffect(() => {
    if (!open) return
    const button = buttonRef.current
    const panel = panelRef.current
    if (!button || !panel) return
    const bar = button.closest('.prompt-bar') ?? button
    const barBox = bar.getBoundingClientRect()
    const top = Math.max(8, Math.min(button.getBoundingClientRect().top - 12, window.innerHeight - panel.offsetHeight - 8))
    setPlace({ top, left: barBox.right + 8, maxHeight: window.innerHeight - top - 8 })
  }, [open])

  // Focus moves in once the panel is placed (a hidden element takes no focus).
  const placed = place !== null
  useEffect(() => {
    if (open && placed) panelRef.current?.querySelector<HTMLElement>('.channel-preset, input')?.focus()
  }, [open, placed])

  useEffect(() => {
    if (!open) return
    const outside = (event: PointerEvent): void => {
      const target = event.target as Node
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false)
    }
    document.addEventListener('pointerdown', outside)
    return () => document.removeEventListener('pointerdown', outside)
  }, [open])

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="more-sizes-toggle button-quiet"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        Presets &amp; custom
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-labelledby={titleId}
          className="more-sizes"
          style={place ?? { visibility: 'hidden' }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation()
              close(true)
            }
          }}
        >
          <div className="more-sizes-head">
            <h2 id={titleId}>More sizes</h2>
            <button type="button" className="button-quiet" onClick={() => close(true)}>
              Done
            </button>
          </div>
          <ChannelPresets provider={props.provider} chosen={props.chosen} onToggle={props.onToggle} />
          {props.provider.customSizes ? (
            <CustomSizeField provider={props.provider} onAdd={(label) => props.onToggle(label, true)} />
          ) : (
            <p className="hint">{props.provider.name} makes only the sizes it lists; a channel preset picks the nearest of them.</p>
          )}
        </div>
      ) : null}
    </>
  )
}
