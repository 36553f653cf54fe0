import type { ReactNode } from 'react'

/** One editable row of a price table; numbers stay text while typed so "0." is not lost. */
export interface PriceRow {
  tier: string
  price: string
  maxLongSide: string
}

export function toPriceRows(prices: readonly { tier: string; price: number; maxLongSide?: number | undefined }[]): PriceRow[] {
  return prices.map((p) => ({ tier: p.tier, price: String(p.price), maxLongSide: p.maxLongSide === undefined ? '' : String(p.maxLongSide) }))
}

/** Rows as the contract takes them; a row with a price that is not a number is kept as NaN so the engine names it. */
export function fromPriceRows(rows: readonly PriceRow[]): { tier: string; price: number; maxLongSide?: number }[] {
  return rows
    .filter((r) => r.tier.trim() !== '' || r.price.trim() !== '')
    .map((r) => ({
      tier: r.tier.trim(),
      price: r.price.trim() === '' ? Number.NaN : Number(r.price),
      ...(r.maxLongSide.trim() !== '' ? { maxLongSide: Number(r.maxLongSide) } : {}),
    }))
}

/**
 * The price table of a profile: a flat price ("image"), or tiers by resolution. For pixel-size
 * profiles a tier may say up to which longest side it applies, as TokenHub's 1K/2K/4K do.
 */
export function PriceTableEditor(props: {
  idPrefix: string
  rows: PriceRow[]
  currency: string
  pixelSizes: boolean
  onChange(rows: PriceRow[]): void
}): ReactNode {
  const { rows, onChange, idPrefix } = props
  const update = (index: number, patch: Partial<PriceRow>): void => onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)))
  return (
    <fieldset className="field price-table">
      <legend>Prices ({props.currency} per image)</legend>
      {rows.length === 0 ? <p className="hint">No prices: estimates will say the cost is unknown rather than guess.</p> : null}
      {rows.map((row, index) => (
        <div key={index} className="price-row">
          <input
            type="text"
            aria-label={`Tier ${index + 1} name`}
            id={`${idPrefix}-tier-${index}`}
            value={row.tier}
            placeholder="1K"
            onChange={(e) => update(index, { tier: e.target.value })}
          />
          <input
            type="number"
            aria-label={`Tier ${index + 1} price`}
            min={0}
            step="0.001"
            value={row.price}
            placeholder="0.04"
            onChange={(e) => update(index, { price: e.target.value })}
          />
          {props.pixelSizes ? (
            <input
              type="number"
              aria-label={`Tier ${index + 1} longest side up to (px)`}
              min={1}
              step={1}
              value={row.maxLongSide}
              placeholder="any size"
              onChange={(e) => update(index, { maxLongSide: e.target.value })}
            />
          ) : null}
          <button type="button" className="icon-button" aria-label={`Remove tier ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="button-link" onClick={() => onChange([...rows, { tier: '', price: '', maxLongSide: '' }])}>
        Add a price tier
      </button>
    </fieldset>
  )
}
