import { useStore } from 'zustand'
import { useStores } from '../../app/stores-context'
import type { CompareState } from './compare-store'

/**
 * The compare store, for the gallery that opens the view. Kept apart from CompareView so the
 * gallery can read it without loading the view itself, which is fetched on first open.
 */
export function useCompare<T>(select: (state: CompareState) => T): T {
  return useStore(useStores().compare, select)
}
