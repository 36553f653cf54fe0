import type { ReactNode } from 'react'
import type { ProviderSummary } from '../../../../shared/api'
import { pixelText } from '../../../../shared/sizes/size-shapes'
import { formatMoney } from '../../ui/format/money'
import { chosenOption } from './size-options'
import { ShapeGlyph } from './ShapeGlyph'

/** The sizes Generate will make, one chip each with its pixels and price, each removable. */
export function ChosenSizes(props: { provider: ProviderSummary | undefined; chosen: readonly string[]; onRemove(label: string): void }): ReactNode {
  if (props.chosen.length === 0) return <p className="hint chosen-sizes-empty">No size chosen: pick a shape and a resolution.</p>
  const currency = props.provider?.currency ?? 'USD'
  return (
    <ul className="chosen-sizes" aria-label="Chosen sizes">
      {props.chosen.map((label) => {
        const option = chosenOption(props.provider, label)
        if (!option) return null
        const ratio = option.pixels ? option.pixels.width / option.pixels.height : null
        return (
          <li key={label} className="chosen-size" data-size={label} title={option.fullName}>
            <ShapeGlyph ratio={ratio} longSide={12} />
            <span className="chosen-size-pixels">{option.pixels ? pixelText(option.pixels) : 'Auto'}</span>
            {option.price !== null ? <span className="chosen-size-price">{formatMoney(option.price, currency)}</span> : null}
            <button type="button" className="chosen-size-remove" aria-label={`Remove ${option.fullName}`} title="Remove" onClick={() => props.onRemove(label)}>
              ×
            </button>
          </li>
        )
      })}
    </ul>
  )
}
