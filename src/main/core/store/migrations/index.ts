import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-unknown-prices'
import { migrationBudgets } from './0003-budgets'
import type { Migration } from './types'

/** In order. Never edit a released migration: add the next number instead. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migrationBudgets]
export type { Migration }
