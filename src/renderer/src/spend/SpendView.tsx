import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { daysInRange, MAX_SPEND_DAYS, type SpendFigures, type SpendSummary } from '../../../shared/api'
import { BudgetsPanel } from './BudgetsPanel'
import { ErrorNote } from '../ui/ErrorNote'
import { SpendChart, SpendDayTable } from './SpendChart'
import { SpendTable } from './SpendTable'
import { formatTallies } from './spend-format'
import type { RangePreset, SpendRangeChoice, SpendStore } from './spend-store'
import { useProviders, useStores } from '../app/stores-context'
import './spend.css'

/** Spend by key, provider and day (estimated against charged), and the budgets the queue enforces. */

const PRESETS: readonly RangePreset[] = [7, 30, 90]

function RangePicker({ store }: { store: SpendStore }): ReactNode {
  const range = useStore(store, (s) => s.range)
  const id = useId()
  const [custom, setCustom] = useState(range.kind === 'custom')
  const [from, setFrom] = useState(range.kind === 'custom' ? range.from : '')
  const [to, setTo] = useState(range.kind === 'custom' ? range.to : '')
  const [error, setError] = useState<string | null>(null)

  const pick = (value: string): void => {
    if (value === 'custom') {
      setCustom(true)
      return
    }
    setCustom(false)
    setError(null)
    void store.getState().setRange({ kind: 'last', days: Number(value) as RangePreset })
  }

  const apply = (event: FormEvent): void => {
    event.preventDefault()
    if (!from || !to) return setError('Pick both a first and a last day.')
    if (from > to) return setError('The first day is after the last day.')
    if (daysInRange(from, to) > MAX_SPEND_DAYS) {
      return setError(`Pick at most ${MAX_SPEND_DAYS} days.`)
    }
    setError(null)
    void store.getState().setRange({ kind: 'custom', from, to })
  }

  return (
    <form className="spend-range" onSubmit={apply} aria-label="Date range">
      <div className="field">
        <label htmlFor={`${id}-range`}>Range</label>
        <select id={`${id}-range`} value={custom ? 'custom' : range.kind === 'last' ? String(range.days) : 'custom'} onChange={(e) => pick(e.target.value)}>
          {PRESETS.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </div>
      {custom ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={from} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={to} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setTo(e.target.value)} />
          </div>
          <button type="submit" className="button-quiet">
            Show
          </button>
        </>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </form>
  )
}

function Totals({ total }: { total: SpendFigures }): ReactNode {
  return (
    <dl className="spend-totals">
      <div>
        <dt>Charged</dt>
        <dd>{formatTallies(total.charged)}</dd>
      </div>
      <div>
        <dt>Estimated</dt>
        <dd>{formatTallies(total.estimated)}</dd>
      </div>
      <div>
        <dt>Jobs</dt>
        <dd>{total.jobs}</dd>
      </div>
    </dl>
  )
}

/** Currencies in the range, the one with the most charged first (the chart draws one at a time). */
function currenciesOf(summary: SpendSummary): string[] {
  const seen = [...summary.total.charged, ...summary.total.estimated]
  const byAmount = new Map<string, number>()
  for (const t of seen) byAmount.set(t.currency, Math.max(byAmount.get(t.currency) ?? 0, t.amount))
  return [...byAmount.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c)
}

function SpendFiguresView({ summary }: { summary: SpendSummary }): ReactNode {
  const currencies = currenciesOf(summary)
  const [picked, setPicked] = useState<string | null>(null)
  const currency = picked && currencies.includes(picked) ? picked : (currencies[0] ?? 'USD')
  const id = useId()

  return (
    <>
      <Totals total={summary.total} />
      <div className="spend-chart-head">
        <h3>By day</h3>
        {currencies.length > 1 ? (
          <div className="field field-inline">
            <label htmlFor={`${id}-currency`}>Chart currency</label>
            <select id={`${id}-currency`} value={currency} onChange={(e) => setPicked(e.target.value)}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <SpendChart days={summary.byDay} currency={currency} />
      <SpendDayTable days={summary.byDay} />
      <div className="spend-groups">
        <SpendTable caption="By key" head="Key" rows={summary.byKey.map((k) => ({ name: k.key ?? 'No key (free providers)', figures: k.figures }))} />
        <SpendTable caption="By provider" head="Provider" rows={summary.byProvider.map((p) => ({ name: p.provider, figures: p.figures }))} />
      </div>
    </>
  )
}

function rangeText(range: SpendRangeChoice, summary: SpendSummary | null): string {
  if (summary) return `${summary.from} to ${summary.to}, local days (${summary.timeZone})`
  return range.kind === 'last' ? `Last ${range.days} days` : `${range.from} to ${range.to}`
}

export function SpendView(): ReactNode {
  const store = useStores().spend
  const summary = useStore(store, (s) => s.summary)
  const range = useStore(store, (s) => s.range)
  const providers = useProviders((s) => s.providers)
  const keys = useProviders((s) => s.keys)

  useEffect(() => {
    const stop = store.getState().start()
    void store.getState().loadSummary()
    void store.getState().loadBudgets()
    return stop
  }, [store])

  const keyLabels = useMemo(() => {
    const labels = new Set(keys.map((k) => k.label))
    for (const k of summary.data?.byKey ?? []) if (k.key) labels.add(k.key)
    return [...labels].sort()
  }, [keys, summary.data])
  const currencies = useMemo(() => [...new Set(['USD', ...providers.map((p) => p.currency)])].sort(), [providers])
  const data = summary.data
  const busy = summary.status === 'loading'

  return (
    <main className="view-page spend-view">
      <section className="panel" aria-labelledby="spend-heading" aria-busy={busy}>
        <header className="panel-header">
          <h2 id="spend-heading">Spend</h2>
          <RangePicker store={store} />
        </header>
        <p className="hint">{rangeText(range, data)}. A job counts on the day it started; failed calls cost nothing.</p>
        {summary.status === 'error' && summary.error ? (
          <ErrorNote error={summary.error} onRetry={() => store.getState().loadSummary()} />
        ) : null}
        {!data && summary.status !== 'error' ? (
          <p className="empty-state" role="status">
            Loading spend…
          </p>
        ) : null}
        {data && data.total.jobs === 0 ? (
          <p className="empty-state">Nothing was spent in these days. Jobs appear here once they reach a provider.</p>
        ) : null}
        {data && data.total.jobs > 0 ? (
          <div className={busy ? 'spend-body is-stale' : 'spend-body'}>
            <SpendFiguresView summary={data} />
          </div>
        ) : null}
      </section>
      <BudgetsPanel store={store} keyLabels={keyLabels} currencies={currencies} />
    </main>
  )
}
