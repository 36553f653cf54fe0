import { useId, useState, type ReactNode } from 'react'
import { sizeLabel, type ProviderSummary } from '../../../../shared/api'
import { CHANNEL_PRESETS } from '../../../../shared/sizes/channel-presets'
import { sizeForTarget } from '../../../../shared/sizes/channel-size'
import { pixelText } from '../../../../shared/sizes/size-shapes'
import { formatMoney } from '../../ui/format/money'
import { sizeOption } from './size-options'
import { ShapeGlyph } from './ShapeGlyph'

/**
 * Channels a product studio delivers to. Each row says, before it is pressed, which size this
 * provider will make for it and what export does to reach the channel's size (src/shared/sizes);
 * pressing it chooses that size (pressed again, it is removed).
 */
export function ChannelPresets(props: { provider: ProviderSummary; chosen: readonly string[]; onToggle(label: string, on: boolean): void }): ReactNode {
  const [said, setSaid] = useState<string | null>(null)
  const headingId = useId()
  return (
    <section className="channel-presets" aria-labelledby={headingId}>
      <h3 id={headingId}>Channel presets</h3>
      <p className="hint">The nearest size {props.provider.name} makes for each channel; export brings it to the channel&apos;s size.</p>
      <ul>
        {CHANNEL_PRESETS.map((preset) => {
          const mapped = sizeForTarget(props.provider, preset)
          if (!mapped) return null
          const label = sizeLabel(mapped.size)
          const on = props.chosen.includes(label)
          const price = sizeOption(props.provider.prices, mapped.size).price
          const noteId = `${headingId}-${preset.id}`
          return (
            <li key={preset.id}>
              <button
                type="button"
                className="channel-preset"
                aria-label={`${preset.name} ${pixelText(preset)}`}
                aria-pressed={on}
                aria-describedby={noteId}
                onClick={() => {
                  props.onToggle(label, !on)
                  setSaid(on ? `${preset.name}: ${pixelText(mapped.made)} removed.` : `${preset.name}: ${mapped.note}.`)
                }}
              >
                <ShapeGlyph ratio={preset.width / preset.height} longSide={16} />
                <span className="channel-preset-name">
                  {preset.name} <span className="channel-preset-target">{pixelText(preset)}</span>
                </span>
                <span className="channel-preset-price">{price !== null ? formatMoney(price, props.provider.currency) : ''}</span>
                <span id={noteId} className="channel-preset-note">
                  {mapped.note}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      <p className="size-announcement" role="status">
        {said}
      </p>
    </section>
  )
}
