import { useState, type ReactNode } from 'react'
import { type SpendSummary } from '../../../shared/api'
import { formatMoney } from '../ui/format/money'
import { useElementSize } from '../ui/hooks/use-element-size'
import { amountIn, shortDay } from './spend-format'
import { SpendTable } from './SpendTable'

/**
 * Estimated and charged spend per day, drawn as SVG bars in one currency. The picture is one image
 * for assistive technology (with a summary as its name); the table below it holds the same data.
 */

/** The width drawn before the figure is measured (and where nothing measures, as in tests). */
const DEFAULT_WIDTH = 720
const MIN_WIDTH = 240
const HEIGHT = 240
const PAD = { top: 12, right: 8, bottom: 28, left: 64 }
const PLOT_H = HEIGHT - PAD.top - PAD.bottom
const MAX_X_LABELS = 8

/** A round number at or above `value` for the top of the axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

type Day = SpendSummary['byDay'][number]

function chartName(days: readonly Day[], currency: string): string {
  const first = days[0]?.day ?? ''
  const last = days.at(-1)?.day ?? ''
  let top: { day: string; charged: number } | null = null
  for (const d of days) {
    const charged = amountIn(d.figures.charged, currency)
    if (charged > 0 && (!top || charged > top.charged)) top = { day: d.day, charged }
  }
  const peak = top ? ` Highest charged day: ${top.day}, ${formatMoney(top.charged, currency)}.` : ' Nothing was charged.'
  return `Estimated and charged spend per day in ${currency}, ${first} to ${last}.${peak}`
}

export function SpendChart({ days, currency }: { days: readonly Day[]; currency: string }): ReactNode {
  // Drawn at the figure's own width, one unit per pixel: a fixed viewBox stretched to the page
  // would scale the axis labels and lines with the window.
  const [figure, setFigure] = useState<HTMLElement | null>(null)
  const measured = useElementSize(figure).width
  const width = measured > 0 ? Math.max(MIN_WIDTH, measured) : DEFAULT_WIDTH
  const plotWidth = width - PAD.left - PAD.right
  const values = days.map((d) => ({
    day: d.day,
    estimated: amountIn(d.figures.estimated, currency),
    charged: amountIn(d.figures.charged, currency),
  }))
  const top = niceCeiling(Math.max(0, ...values.flatMap((v) => [v.estimated, v.charged])))
  const slot = plotWidth / Math.max(1, values.length)
  const bar = Math.max(1, (slot * 0.8) / 2)
  const y = (amount: number): number => PAD.top + PLOT_H - (amount / top) * PLOT_H
  const labelEvery = Math.ceil(values.length / MAX_X_LABELS)
  const ticks = [0, top / 2, top]

  return (
    <figure className="spend-chart" ref={setFigure}>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={chartName(days, currency)}>
        {ticks.map((tick) => (
          <g key={tick} className="spend-chart-grid">
            <line x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatMoney(tick, currency)}
            </text>
          </g>
        ))}
        {values.map((v, i) => {
          const x = PAD.left + i * slot + (slot - 2 * bar) / 2
          return (
            <g key={v.day}>
              <rect className="spend-bar-estimated" x={x} y={y(v.estimated)} width={bar} height={PAD.top + PLOT_H - y(v.estimated)}>
                <title>{`${v.day}: estimated ${formatMoney(v.estimated, currency)}`}</title>
              </rect>
              <rect className="spend-bar-charged" x={x + bar} y={y(v.charged)} width={bar} height={PAD.top + PLOT_H - y(v.charged)}>
                <title>{`${v.day}: charged ${formatMoney(v.charged, currency)}`}</title>
              </rect>
              {i % labelEvery === 0 ? (
                <text className="spend-chart-day" x={PAD.left + i * slot + slot / 2} y={HEIGHT - 8} textAnchor="middle">
                  {shortDay(v.day)}
                </text>
              ) : null}
            </g>
          )
        })}
      </svg>
      <figcaption className="spend-legend">
        <span className="spend-swatch spend-swatch-estimated" aria-hidden="true" /> Estimated
        <span className="spend-swatch spend-swatch-charged" aria-hidden="true" /> Charged
        <span className="hint">in {currency}; unpriced jobs are counted in the table, not drawn</span>
      </figcaption>
    </figure>
  )
}

/** The chart's data as a table: every day of the range, all currencies. */
export function SpendDayTable({ days }: { days: readonly Day[] }): ReactNode {
  return (
    <div className="spend-table-scroll" tabIndex={0} role="group" aria-label="Spend per day, as a table">
      <SpendTable caption="Spend per day" head="Day" rows={[...days].reverse().map((d) => ({ name: d.day, figures: d.figures }))} />
    </div>
  )
}
