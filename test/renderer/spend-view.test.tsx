import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, sizeLabel, type BudgetStatus, type Input, type SpendFigures, type SpendSummary } from '../../src/shared/api'
import { App } from '../../src/renderer/src/app/App'
import { createFakeApi, job, type FakeHandlers } from './fake-api'
import { openQueue } from './open-queue'
import { sizeBox } from './size-picker'

afterEach(cleanup)

const none: SpendFigures = { jobs: 0, estimated: [], charged: [] }
const usd = (amount: number, unknown = 0) => ({ currency: 'USD', amount, unknown })
const eur = (amount: number, unknown = 0) => ({ currency: 'EUR', amount, unknown })

function summary(over: Partial<SpendSummary> = {}): SpendSummary {
  const studio: SpendFigures = { jobs: 3, estimated: [usd(1.2, 1)], charged: [usd(1.2, 1)] }
  const client: SpendFigures = { jobs: 1, estimated: [eur(1.5)], charged: [eur(1.4)] }
  return {
    from: '2025-03-12',
    to: '2025-03-14',
    today: '2025-03-14',
    timeZone: 'Europe/Berlin',
    total: { jobs: 4, estimated: [eur(1.5), usd(1.2, 1)], charged: [eur(1.4), usd(1.2, 1)] },
    byKey: [
      { key: 'client-b', figures: client },
      { key: 'studio', figures: studio },
    ],
    byProvider: [
      { provider: 'eurobot', figures: client },
      { provider: 'openai', figures: studio },
    ],
    byDay: [
      { day: '2025-03-12', figures: none },
      { day: '2025-03-13', figures: { jobs: 1, estimated: [eur(1.5)], charged: [eur(1.4)] } },
      { day: '2025-03-14', figures: studio },
    ],
    ...over,
  }
}

function budget(over: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    id: 'budget_daily',
    scope: { kind: 'all', period: 'day' },
    label: 'Daily budget',
    amount: 5,
    currency: 'USD',
    spent: 4.9,
    queued: 0.22,
    uncounted: 1,
    held: 2,
    day: '2025-03-14',
    updatedAt: 1,
    ...over,
  }
}

const budgetList = (budgets: BudgetStatus[]) => ({ budgets, today: '2025-03-14', timeZone: 'Europe/Berlin' })

function openSpend(handlers: FakeHandlers) {
  const api = createFakeApi({ 'spend.summary': () => summary(), 'budgets.list': () => budgetList([]), ...handlers })
  render(<App api={api} />)
  fireEvent.click(screen.getByRole('button', { name: 'Spend' }))
  return { api, spend: () => screen.getByRole('region', { name: 'Spend' }), budgets: () => screen.getByRole('region', { name: 'Budgets' }) }
}

describe('Spend view', () => {
  it('shows totals per currency with unpriced jobs counted, a chart with a name, and the same data as tables', async () => {
    const ui = openSpend({})
    const spend = ui.spend()
    expect(within(spend).getByText('Loading spend…')).toBeTruthy()
    const chart = await within(spend).findByRole('img')
    // The currency with the most charged leads; the other is one choice away.
    expect(chart.getAttribute('aria-label')).toBe(
      'Estimated and charged spend per day in EUR, 2025-03-12 to 2025-03-14. Highest charged day: 2025-03-13, €1.40.',
    )
    const totals = within(spend).getByText('Charged', { selector: 'dt' }).closest('div')!
    expect(totals.textContent).toBe('Charged€1.40 · $1.20 + 1 unpriced')
    expect(within(spend).getByText(/local days \(Europe\/Berlin\)/)).toBeTruthy()

    const perDay = within(spend).getByRole('table', { name: 'Spend per day' })
    const rows = within(perDay).getAllByRole('row').slice(1).map((r) => r.textContent)
    expect(rows).toEqual(['2025-03-143$1.20 + 1 unpriced$1.20 + 1 unpriced', '2025-03-131€1.50€1.40', '2025-03-120——'])
    const byKey = within(spend).getByRole('table', { name: 'By key' })
    expect(within(byKey).getByRole('rowheader', { name: 'studio' })).toBeTruthy()
    expect(within(spend).getByRole('table', { name: 'By provider' }).textContent).toContain('openai')

    fireEvent.change(within(spend).getByRole('combobox', { name: 'Chart currency' }), { target: { value: 'USD' } })
    expect(within(spend).getByRole('img').getAttribute('aria-label')).toMatch(/^Estimated and charged spend per day in USD/)
    expect(ui.api.callsTo('spend.summary')).toEqual([{ lastDays: 30 }])
  })

  it('says when nothing was spent, instead of an empty chart', async () => {
    const ui = openSpend({ 'spend.summary': () => summary({ total: none, byKey: [], byProvider: [], byDay: [{ day: '2025-03-14', figures: none }] }) })
    await within(ui.spend()).findByText('Nothing was spent in these days. Jobs appear here once they reach a provider.')
    expect(within(ui.spend()).queryByRole('img')).toBeNull()
  })

  it('shows an error with its fix and tries again on request', async () => {
    let fail = true
    const ui = openSpend({
      'spend.summary': () => {
        if (fail) throw new ApiError('unavailable', 'The library is busy.', { fix: 'Try again in a moment.' })
        return summary()
      },
    })
    const alert = await within(ui.spend()).findByRole('alert')
    expect(alert.textContent).toContain('The library is busy.')
    expect(alert.textContent).toContain('Try again in a moment.')
    fail = false
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }))
    await within(ui.spend()).findByRole('img')
    expect(within(ui.spend()).queryByRole('alert')).toBeNull()
  })

  it('changes the range, and checks a custom range before asking for it', async () => {
    const ui = openSpend({})
    const spend = ui.spend()
    await within(spend).findByRole('img')
    const range = within(spend).getByRole('combobox', { name: 'Range' })
    fireEvent.change(range, { target: { value: '7' } })
    await waitFor(() => expect(ui.api.callsTo('spend.summary').at(-1)).toEqual({ lastDays: 7 }))

    fireEvent.change(range, { target: { value: 'custom' } })
    fireEvent.change(within(spend).getByLabelText('From'), { target: { value: '2025-03-14' } })
    fireEvent.change(within(spend).getByLabelText('To'), { target: { value: '2025-03-01' } })
    fireEvent.click(within(spend).getByRole('button', { name: 'Show' }))
    expect(within(spend).getByText('The first day is after the last day.')).toBeTruthy()
    expect(within(spend).getByLabelText('From').getAttribute('aria-invalid')).toBe('true')
    expect(ui.api.callsTo('spend.summary')).toHaveLength(2)

    fireEvent.change(within(spend).getByLabelText('To'), { target: { value: '2025-03-20' } })
    fireEvent.click(within(spend).getByRole('button', { name: 'Show' }))
    await waitFor(() => expect(ui.api.callsTo('spend.summary').at(-1)).toEqual({ from: '2025-03-14', to: '2025-03-20' }))
  })
})

describe('Budget editor', () => {
  it('says there are no budgets, refuses a bad amount with a message on the field, and saves a good one', async () => {
    let budgets: BudgetStatus[] = []
    const ui = openSpend({
      'budgets.list': () => budgetList(budgets),
      'budgets.set': (input: Input<'budgets.set'>) => {
        budgets = [budget({ amount: input.amount })]
        return budgets[0]!
      },
    })
    const panel = ui.budgets()
    await within(panel).findByText(/No budgets yet/)
    const amount = within(panel).getByRole('textbox', { name: 'Amount' })
    fireEvent.change(amount, { target: { value: 'five' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    expect(within(panel).getByText('Enter the amount as a number with at most 4 decimals, such as 12.50.')).toBeTruthy()
    expect(amount.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(amount)
    expect(ui.api.callsTo('budgets.set')).toEqual([])

    fireEvent.change(amount, { target: { value: '-2' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    expect(within(panel).getByText('A budget cannot be negative.')).toBeTruthy()

    fireEvent.change(amount, { target: { value: '5' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    await waitFor(() => expect(ui.api.callsTo('budgets.set')).toEqual([{ scope: { kind: 'all', period: 'day' }, amount: 5, currency: 'USD' }]))
    const row = await within(panel).findByRole('listitem', { name: 'Daily budget' })
    expect(row.textContent).toContain('$4.90 of $5.00 used today')
    expect(row.textContent).toContain('2 job(s) held: raise the budget to run them')
    expect(row.textContent).toContain('1 job(s) without a known USD amount not counted')
    expect(within(panel).getByRole('status').textContent).toBe('Daily budget saved.')
    expect((within(panel).getByRole('textbox', { name: 'Amount' }) as HTMLInputElement).value).toBe('')
  })

  it('sets a per-key budget, asking for the key label first', async () => {
    const ui = openSpend({ 'budgets.set': () => budget({ label: 'Budget for key "studio"' }) })
    const panel = ui.budgets()
    await within(panel).findByText(/No budgets yet/)
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Applies to' }), { target: { value: 'key' } })
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Period' }), { target: { value: 'total' } })
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Amount' }), { target: { value: '20' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    expect(within(panel).getByText('Enter the label of the key this budget is for.')).toBeTruthy()
    // Labels seen in spend are offered as suggestions.
    await waitFor(() => expect([...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toContain('studio'))
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Key label' }), { target: { value: 'studio' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    await waitFor(() =>
      expect(ui.api.callsTo('budgets.set')).toEqual([{ scope: { kind: 'key', key: 'studio', period: 'total' }, amount: 20, currency: 'USD' }]),
    )
  })

  it("changes a batch's cap: Change loads it, and Save keeps it the batch's (the hold message says it can be raised)", async () => {
    const cap = budget({ id: 'budget_batch', scope: { kind: 'batch', batchId: 'batch_7', period: 'total' }, label: 'Batch budget', amount: 2, spent: 2, day: null })
    const ui = openSpend({ 'budgets.list': () => budgetList([cap]), 'budgets.set': () => ({ ...cap, amount: 3 }) })
    const panel = ui.budgets()
    const row = await within(panel).findByRole('listitem', { name: 'Batch budget' })
    fireEvent.click(within(row).getByRole('button', { name: 'Change Batch budget' }))
    const amount = within(panel).getByRole('textbox', { name: 'Amount' }) as HTMLInputElement
    expect(amount.value).toBe('2')
    expect((within(panel).getByRole('combobox', { name: 'Applies to' }) as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('This batch (its cap)')
    expect(within(panel).queryByRole('combobox', { name: 'Period' })).toBeNull()
    fireEvent.change(amount, { target: { value: '3' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    await waitFor(() =>
      expect(ui.api.callsTo('budgets.set')).toEqual([{ scope: { kind: 'batch', batchId: 'batch_7', period: 'total' }, amount: 3, currency: 'USD' }]),
    )
    // Back to a new budget: the batch is not offered for new ones.
    await waitFor(() => expect(within(panel).queryByRole('option', { name: 'This batch (its cap)' })).toBeNull())
  })

  it("shows the engine's refusal, loads a budget into the editor to change it, and removes one", async () => {
    let budgets = [budget()]
    const ui = openSpend({
      'budgets.list': () => budgetList(budgets),
      'budgets.set': () => {
        throw new ApiError('bad_input', 'amount: amount is over 1,000,000', { field: 'amount', fix: 'Correct "amount" and try again.' })
      },
      'budgets.remove': () => {
        budgets = []
        return { removed: true }
      },
    })
    const panel = ui.budgets()
    const row = await within(panel).findByRole('listitem', { name: 'Daily budget' })
    fireEvent.click(within(row).getByRole('button', { name: 'Change Daily budget' }))
    const amount = within(panel).getByRole('textbox', { name: 'Amount' }) as HTMLInputElement
    expect(amount.value).toBe('5')
    expect(document.activeElement).toBe(amount)
    fireEvent.change(amount, { target: { value: '999999' } })
    fireEvent.click(within(panel).getByRole('button', { name: 'Save budget' }))
    const alert = await within(panel).findByRole('alert')
    expect(alert.textContent).toContain('amount is over 1,000,000')

    fireEvent.click(within(row).getByRole('button', { name: 'Remove Daily budget' }))
    await within(panel).findByText(/No budgets yet/)
    expect(ui.api.callsTo('budgets.remove')).toEqual([{ id: 'budget_daily' }])
  })
})

describe('Budgets in the workspace', () => {
  it('warns in the cost preview when this generation would pass a budget', async () => {
    const api = createFakeApi({
      'jobs.estimate': (input: Input<'jobs.estimate'>) => ({
        provider: input.provider,
        currency: 'USD',
        lines: input.sizes.map((s) => ({ size: sizeLabel(s), images: 1, unitPrice: 0.04, subtotal: 0.04 })),
        total: 0.04,
        source: 'Test price table',
        budgetWarnings: [{ budgetId: 'budget_daily', message: 'This passes the daily budget of $5.00: $4.98 is spent, running or queued today, and this adds $0.04.' }],
      }),
    })
    render(<App api={api} />)
    // The form starts on 1024x1024, so the preview asks at once.
    await waitFor(() => expect(sizeBox('1024x1024').checked).toBe(true))
    const preview = screen.getByRole('region', { name: 'Cost preview' })
    const warnings = await within(preview).findByRole('list', { name: 'Budget warnings' })
    expect(warnings.textContent).toContain('This passes the daily budget of $5.00')
  })

  it('shows a held job in the Queue as held, with the reason, and still offers Cancel', async () => {
    const reason = 'Daily budget of $5.00 reached: $5.00 is spent or running today, and this job needs $0.04. Raise the budget, or wait until tomorrow.'
    const api = createFakeApi({
      'jobs.list': () => ({ jobs: [job({ id: 'job_held', heldReason: reason })] }),
      'queue.state': () => ({ paused: false, held: 1, counts: { queued: 1, running: 0, succeeded: 0, failed: 0, canceled: 0, interrupted: 0 } }),
    })
    render(<App api={api} />)
    const queue = openQueue()
    const row = await within(queue).findByRole('listitem')
    expect(within(row).getByText('Held')).toBeTruthy()
    expect(row.textContent).toContain(reason)
    expect(row.textContent).toContain('Waiting for the budget')
    expect(within(row).getByRole('button', { name: /^Cancel '/ })).toBeTruthy()
    // Held jobs are queued jobs a budget keeps back: counted once, as held.
    await waitFor(() => expect(within(queue).getByText('1 held by a budget')).toBeTruthy())
  })
})
