import { useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react'
import { useStore } from 'zustand'
import { type BudgetStatus } from '../../../shared/api'
import { formatMoney } from '../ui/format/money'
import { checkBudgetForm, EMPTY_BUDGET_FORM, formFor, type BudgetForm, type BudgetFormErrors } from './budget-form'
import type { SpendStore } from './spend-store'
import { ErrorNote } from '../ui/ErrorNote'
import { SelectField } from '../ui/SelectField'

/** Budgets with how much of each is used, and the editor that sets them. */

function usedText(b: BudgetStatus): string {
  const when = b.day ? 'today' : 'so far'
  const money = (n: number): string => formatMoney(n, b.currency)
  const over = b.spent > b.amount ? ` — over by ${money(b.spent - b.amount)}` : ''
  return `${money(b.spent)} of ${money(b.amount)} used ${when}${over}`
}

function BudgetRow({ store, budget, onEdit }: { store: SpendStore; budget: BudgetStatus; onEdit: (b: BudgetStatus) => void }): ReactNode {
  const removing = useStore(store, (s) => s.removing[budget.id] === true)
  const error = useStore(store, (s) => s.removeErrors[budget.id])
  const labelId = useId()
  const over = budget.spent >= budget.amount && budget.amount > 0
  const details = [
    budget.queued > 0 ? `${formatMoney(budget.queued, budget.currency)} queued` : null,
    budget.held > 0 ? `${budget.held} job(s) held: raise the budget to run them` : null,
    budget.uncounted > 0 ? `${budget.uncounted} job(s) without a known ${budget.currency} amount not counted` : null,
  ].filter((d): d is string => d !== null)

  return (
    <li className={`budget-row${over ? ' is-over' : ''}`} aria-labelledby={labelId} aria-busy={removing}>
      <div className="budget-text">
        <p className="budget-label" id={labelId}>
          {budget.label}
        </p>
        <p className="budget-used">{usedText(budget)}</p>
        {details.length > 0 ? <p className="hint">{details.join(' · ')}</p> : null}
      </div>
      <meter
        className="budget-meter"
        min={0}
        max={Math.max(budget.amount, 0.000001)}
        low={budget.amount * 0.8}
        high={budget.amount}
        optimum={0}
        value={Math.min(budget.spent, budget.amount)}
        aria-labelledby={labelId}
      />
      <div className="budget-actions">
        <button type="button" className="button-quiet" aria-label={`Change ${budget.label}`} onClick={() => onEdit(budget)}>
          Change
        </button>
        <button
          type="button"
          className="button-quiet"
          aria-label={`Remove ${budget.label}`}
          disabled={removing}
          onClick={() => void store.getState().removeBudget(budget)}
        >
          Remove
        </button>
      </div>
      {error ? (
        <div className="budget-error">
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  )
}

function FieldError({ id, text }: { id: string; text: string | undefined }): ReactNode {
  return text ? (
    <p className="field-error" id={id}>
      {text}
    </p>
  ) : null
}

function BudgetEditor({
  store,
  form,
  setForm,
  keyLabels,
  currencies,
  amountRef,
}: {
  store: SpendStore
  form: BudgetForm
  setForm: (form: BudgetForm) => void
  keyLabels: readonly string[]
  currencies: readonly string[]
  amountRef: RefObject<HTMLInputElement | null>
}): ReactNode {
  const saving = useStore(store, (s) => s.saving)
  const saveError = useStore(store, (s) => s.saveError)
  const [errors, setErrors] = useState<BudgetFormErrors>({})
  const id = useId()
  const keyRef = useRef<HTMLInputElement>(null)
  const change = (patch: Partial<BudgetForm>): void => setForm({ ...form, ...patch })

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const checked = checkBudgetForm(form)
    setErrors(checked.errors)
    if (!checked.input) {
      ;(checked.errors.key ? keyRef : amountRef).current?.focus()
      return
    }
    if (await store.getState().saveBudget(checked.input)) setForm({ ...EMPTY_BUDGET_FORM, currency: form.currency })
  }

  return (
    <form className="budget-editor" aria-label="Set a budget" noValidate onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-applies`}>Applies to</label>
        <select
          id={`${id}-applies`}
          value={form.appliesTo}
          onChange={(e) => change({ appliesTo: e.target.value as BudgetForm['appliesTo'], ...(e.target.value !== 'batch' ? { batchId: '' } : {}) })}
        >
          <option value="all">All spending</option>
          <option value="key">One key</option>
          {/* A batch's cap is made in New batch; here it can be changed once loaded with Change. */}
          {form.appliesTo === 'batch' ? <option value="batch">This batch (its cap)</option> : null}
        </select>
      </div>
      {form.appliesTo === 'key' ? (
        <div className="field">
          <label htmlFor={`${id}-key`}>Key label</label>
          <input
            ref={keyRef}
            id={`${id}-key`}
            type="text"
            list={`${id}-keys`}
            value={form.key}
            aria-invalid={errors.key ? true : undefined}
            aria-describedby={errors.key ? `${id}-key-error` : undefined}
            onChange={(e) => change({ key: e.target.value })}
          />
          <datalist id={`${id}-keys`}>
            {keyLabels.map((label) => (
              <option key={label} value={label} />
            ))}
          </datalist>
          <FieldError id={`${id}-key-error`} text={errors.key} />
        </div>
      ) : null}
      {form.appliesTo !== 'batch' ? (
        <SelectField
          id={`${id}-period`}
          label="Period"
          value={form.period}
          choices={[
            { value: 'day', label: 'Per day' },
            { value: 'total', label: 'In total' },
          ]}
          onChange={(v) => change({ period: v === 'total' ? 'total' : 'day' })}
        />
      ) : null}
      <div className="field budget-amount">
        <label htmlFor={`${id}-amount`}>Amount</label>
        <input
          ref={amountRef}
          id={`${id}-amount`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder="5.00"
          value={form.amount}
          aria-invalid={errors.amount ? true : undefined}
          aria-describedby={errors.amount ? `${id}-amount-error` : undefined}
          onChange={(e) => change({ amount: e.target.value })}
        />
        <FieldError id={`${id}-amount-error`} text={errors.amount} />
      </div>
      <SelectField id={`${id}-currency`} label="Currency" value={form.currency} choices={currencies.map((c) => ({ value: c, label: c }))} onChange={(v) => change({ currency: v })} />
      <div className="budget-submit">
        <button type="submit" className="button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save budget'}
        </button>
      </div>
      {saveError ? (
        <div className="budget-error">
          <ErrorNote error={saveError} />
        </div>
      ) : null}
    </form>
  )
}

export function BudgetsPanel({
  store,
  keyLabels,
  currencies,
}: {
  store: SpendStore
  keyLabels: readonly string[]
  currencies: readonly string[]
}): ReactNode {
  const budgets = useStore(store, (s) => s.budgets)
  const saved = useStore(store, (s) => s.saved)
  const [form, setForm] = useState<BudgetForm>(EMPTY_BUDGET_FORM)
  const amountRef = useRef<HTMLInputElement>(null)
  const list = budgets.data?.budgets ?? []
  const choices = currencies.includes(form.currency) ? currencies : [...currencies, form.currency]

  const edit = (budget: BudgetStatus): void => {
    setForm(formFor(budget))
    amountRef.current?.focus()
  }

  return (
    <section className="panel budgets-panel" aria-labelledby="budgets-heading" aria-busy={budgets.status === 'loading'}>
      <header className="panel-header">
        <h2 id="budgets-heading">Budgets</h2>
        {budgets.data ? <p className="hint">Days end at local midnight ({budgets.data.timeZone}).</p> : null}
      </header>
      <p className="hint">
        The queue checks every job against these before it starts. A job that would pass a budget is held, not run and not
        charged, until the budget allows it.
      </p>
      {budgets.status === 'error' && budgets.error ? (
        <ErrorNote error={budgets.error} onRetry={() => store.getState().loadBudgets()} />
      ) : null}
      {!budgets.data && budgets.status !== 'error' ? <p className="empty-state">Loading budgets…</p> : null}
      {budgets.data && list.length === 0 ? (
        <p className="empty-state">No budgets yet: the queue runs everything you queue. Set a daily budget below to cap a day's spending.</p>
      ) : null}
      {list.length > 0 ? (
        <ul className="budget-list">
          {list.map((b) => (
            <BudgetRow key={b.id} store={store} budget={b} onEdit={edit} />
          ))}
        </ul>
      ) : null}
      <BudgetEditor store={store} form={form} setForm={setForm} keyLabels={keyLabels} currencies={choices} amountRef={amountRef} />
      <p className="hint budget-saved" role="status">
        {saved ?? ''}
      </p>
    </section>
  )
}
