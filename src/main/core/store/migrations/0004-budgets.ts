import type { Migration } from './types'

/**
 * Budgets, and the two things enforcing them needs from jobs: why a queued job is held back (and
 * by which budget), and indexes that find a day's or a key's spending without reading every job.
 * A job's spending is dated by when it last started (started_at). Nothing existing is rebuilt.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'budgets',
  up(db) {
    db.exec(`
      CREATE TABLE budgets (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('all', 'key', 'batch')),
        -- the key label or batch id; '' for 'all', so the UNIQUE below also covers it
        target TEXT NOT NULL CHECK ((scope = 'all') = (target = '')),
        period TEXT NOT NULL CHECK (period IN ('day', 'total')),
        amount REAL NOT NULL CHECK (amount >= 0),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (scope, target, period)
      ) STRICT;

      ALTER TABLE jobs ADD COLUMN hold_reason TEXT;
      ALTER TABLE jobs ADD COLUMN held_by TEXT;
      CREATE INDEX jobs_by_started ON jobs (started_at);
      CREATE INDEX jobs_by_key_started ON jobs (key_label, started_at);
    `)
  },
}
