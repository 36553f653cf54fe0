import type { Database } from 'better-sqlite3'

/** A numbered schema step. `up` runs inside the transaction that also bumps user_version. */
export interface Migration {
  readonly version: number
  readonly name: string
  up(db: Database): void
}
