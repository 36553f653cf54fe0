import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ApiClient, BudgetStatus, Input, SpendSummary } from '../../../shared/api'
import { toErrorNote, type ErrorNoteData } from '../ui/format/error-note'

/**
 * The Spend view's data: the summary for the chosen range and the budgets with their use. Both are
 * read again (quietly, keeping what is shown) whenever the queue changes, so figures follow the
 * work as it finishes.
 */

export type RangePreset = 7 | 30 | 90
export type SpendRangeChoice = { kind: 'last'; days: RangePreset } | { kind: 'custom'; from: string; to: string }
export type BudgetInput = Input<'budgets.set'>

type Loadable<T> = { status: 'idle' | 'loading' | 'ready' | 'error'; data: T | null; error: ErrorNoteData | null }

export interface SpendState {
  range: SpendRangeChoice
  summary: Loadable<SpendSummary>
  budgets: Loadable<{ budgets: BudgetStatus[]; today: string; timeZone: string }>
  saving: boolean
  saveError: ErrorNoteData | null
  /** A short confirmation after a budget was saved or removed, for a polite live region. */
  saved: string | null
  removing: Record<string, true>
  removeErrors: Record<string, ErrorNoteData>

  setRange(range: SpendRangeChoice): Promise<void>
  loadSummary(): Promise<void>
  loadBudgets(): Promise<void>
  saveBudget(input: BudgetInput): Promise<boolean>
  removeBudget(budget: BudgetStatus): Promise<void>
  /** Follows engine events; returns the unsubscribe. */
  start(): () => void
}

export type SpendStore = StoreApi<SpendState>

const RELOAD_DEBOUNCE_MS = 400
const idle = { status: 'idle' as const, data: null, error: null }

export function rangeInput(range: SpendRangeChoice): Input<'spend.summary'> {
  return range.kind === 'last' ? { lastDays: range.days } : { from: range.from, to: range.to }
}

export function createSpendStore(api: ApiClient): SpendStore {
  let summaryRequest = 0
  let reloadTimer: ReturnType<typeof setTimeout> | null = null

  return createStore<SpendState>()((set, get) => ({
    range: { kind: 'last', days: 30 },
    summary: idle,
    budgets: idle,
    saving: false,
    saveError: null,
    saved: null,
    removing: {},
    removeErrors: {},

    async setRange(range) {
      set({ range })
      await get().loadSummary()
    },

    async loadSummary() {
      const request = ++summaryRequest
      // Figures already shown stay while new ones load (the view marks them busy).
      set({ summary: { ...get().summary, status: 'loading' } })
      try {
        const data = await api.call('spend.summary', rangeInput(get().range))
        if (request === summaryRequest) set({ summary: { status: 'ready', data, error: null } })
      } catch (err) {
        if (request === summaryRequest) set({ summary: { status: 'error', data: get().summary.data, error: toErrorNote(err) } })
      }
    },

    async loadBudgets() {
      set({ budgets: { ...get().budgets, status: 'loading' } })
      try {
        const data = await api.call('budgets.list', {})
        set({ budgets: { status: 'ready', data, error: null } })
      } catch (err) {
        set({ budgets: { status: 'error', data: get().budgets.data, error: toErrorNote(err) } })
      }
    },

    async saveBudget(input) {
      set({ saving: true, saveError: null, saved: null })
      try {
        const saved = await api.call('budgets.set', input)
        set({ saved: `${saved.label} saved.` })
        await get().loadBudgets()
        return true
      } catch (err) {
        set({ saveError: toErrorNote(err) })
        return false
      } finally {
        set({ saving: false })
      }
    },

    async removeBudget(budget) {
      const { [budget.id]: _dropped, ...removeErrors } = get().removeErrors
      set({ removing: { ...get().removing, [budget.id]: true }, removeErrors, saved: null })
      try {
        await api.call('budgets.remove', { id: budget.id })
        set({ saved: `${budget.label} removed.` })
        await get().loadBudgets()
      } catch (err) {
        set({ removeErrors: { ...get().removeErrors, [budget.id]: toErrorNote(err) } })
      } finally {
        const { [budget.id]: _done, ...removing } = get().removing
        set({ removing })
      }
    },

    start() {
      const off = api.on('queue.changed', () => {
        if (reloadTimer) clearTimeout(reloadTimer)
        reloadTimer = setTimeout(() => {
          reloadTimer = null
          void get().loadSummary()
          void get().loadBudgets()
        }, RELOAD_DEBOUNCE_MS)
      })
      return () => {
        off()
        if (reloadTimer) clearTimeout(reloadTimer)
        reloadTimer = null
      }
    },
  }))
}
