import type { ReactNode } from 'react'
import { parseSizeText } from '../../../shared/api'
import { pixelSizeOf, pixelText, sizeFullName } from '../../../shared/sizes/size-shapes'
import { formatMoney } from '../ui/format/money'
import { useGenerate } from '../app/stores-context'
import { BudgetWarnings } from '../spend/BudgetNotes'
import { ErrorNote } from '../ui/ErrorNote'
import './generate.css'

/** A line's size as the chips write it ("2048 × 1152"), with its full name ("16:9 2K (2048 × 1152)") on hover. */
function SizeName({ label }: { label: string }): ReactNode {
  const size = parseSizeText(label)
  const pixels = size ? pixelSizeOf(size) : null
  return (
    <span className="cost-size" title={size ? sizeFullName(size) : label}>
      {pixels ? pixelText(pixels) : size && 'auto' in size ? 'Auto' : label}
    </span>
  )
}

/**
 * What pressing Generate will cost, per size and in total, before anything is spent. While a new
 * answer is on its way the last numbers stay (dimmed only if the answer is slow).
 */
export function CostPreview(): ReactNode {
  const estimate = useGenerate((s) => s.estimate)
  const status = useGenerate((s) => s.estimateStatus)
  const error = useGenerate((s) => s.estimateError)
  const hasSizes = useGenerate((s) => s.sizes.length > 0)

  return (
    <section className="cost-preview" aria-label="Cost preview" aria-busy={status === 'loading'}>
      <h3>Cost preview</h3>
      {!hasSizes ? <p className="hint">Pick at least one size to see the cost.</p> : null}
      {hasSizes && error ? <ErrorNote error={error} /> : null}
      {hasSizes && !estimate && !error ? <p className="hint">Estimating…</p> : null}
      {hasSizes && estimate ? (
        <div className={status === 'loading' ? 'cost-body is-stale' : 'cost-body'}>
          <ul className="cost-lines">
            {estimate.lines.map((line) => (
              <li key={line.size} className="cost-line">
                <SizeName label={line.size} />
                <span className="cost-unit">
                  {line.images} × {formatMoney(line.unitPrice, estimate.currency)}
                </span>
                <span className="cost-subtotal">{formatMoney(line.subtotal, estimate.currency)}</span>
              </li>
            ))}
          </ul>
          <p className="cost-total">
            <span>Total</span>
            <strong>{formatMoney(estimate.total, estimate.currency)}</strong>
          </p>
          <p className="hint">Prices: {estimate.source}</p>
          <BudgetWarnings warnings={estimate.budgetWarnings ?? []} />
        </div>
      ) : null}
    </section>
  )
}
