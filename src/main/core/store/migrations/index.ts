import { migration0001 } from './0001-initial'
import type { Migration } from './types'

/** In order. Never edit a released migration: add the next number instead. */
export const migrations: readonly Migration[] = [migration0001]
export type { Migration }
