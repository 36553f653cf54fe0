import { useId, type KeyboardEvent, type ReactNode } from 'react'
import { formatMoney } from '../../ui/format/money'
import { pixelText } from '../../../../shared/sizes/size-shapes'
import type { ShapeGroup } from './size-options'

/**
 * The sizes of one shape as a checkbox group: each is a size to make, so several can be on at
 * once. Arrow keys move between them like a toolbar, Space ticks; each names its tier and pixels
 * ("2K (2048 × 1152)") and shows its price per image.
 */
export function ResolutionPicker(props: {
  group: ShapeGroup | undefined
  chosen: readonly string[]
  currency: string
  onToggle(label: string, on: boolean): void
}): ReactNode {
  const headingId = useId()
  const options = props.group?.options ?? []
  return (
    <div className="resolution-picker" role="group" aria-labelledby={headingId} onKeyDown={moveWithArrows}>
      <span id={headingId} className="size-picker-label">
        Resolution{props.group && props.group.aspect !== 'Auto' ? <span className="size-picker-label-aside" aria-hidden="true"> · {props.group.aspect}</span> : null}
      </span>
      <div className="resolution-options">
        {options.map((option) => (
          <label key={option.label} className="resolution-option">
            <input
              type="checkbox"
              aria-label={option.name}
              checked={props.chosen.includes(option.label)}
              onChange={(event) => props.onToggle(option.label, event.target.checked)}
            />
            {option.tier ? (
              <>
                <span className="resolution-tier" aria-hidden="true">
                  {option.tier}
                </span>
                <span className="resolution-pixels" aria-hidden="true">
                  {option.pixels ? pixelText(option.pixels) : null}
                </span>
              </>
            ) : (
              <span className="resolution-tier resolution-tier-pixels" aria-hidden="true">
                {option.pixels ? pixelText(option.pixels) : 'Auto'}
                {option.custom ? <span className="resolution-custom"> custom</span> : null}
              </span>
            )}
            <span className="resolution-price">{option.price === null ? (option.pixels ? 'price not set' : 'the model picks; see the estimate') : `${formatMoney(option.price, props.currency)} / image`}</span>
          </label>
        ))}
      </div>
    </div>
  )
}

/** Left/Up and Right/Down step through the group's checkboxes (wrapping), as in a toolbar. */
function moveWithArrows(event: KeyboardEvent<HTMLDivElement>): void {
  const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0
  if (step === 0) return
  const boxes = [...event.currentTarget.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')]
  const at = boxes.indexOf(event.target as HTMLInputElement)
  if (at < 0 || boxes.length === 0) return
  event.preventDefault()
  boxes[(at + step + boxes.length) % boxes.length]!.focus()
}
