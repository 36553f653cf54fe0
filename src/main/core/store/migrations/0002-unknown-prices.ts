import type { Migration } from './types'

/**
 * Some providers publish no price (Tokensmart), and some calls report no charge. Unknown must stay
 * distinguishable from zero, so each amount gets a flag instead of a made-up number. Columns are
 * added, not rebuilt: existing rows are known amounts (flag 1).
 */
export const migration0002: Migration = {
  version: 2,
  name: 'unknown-prices',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN estimate_known INTEGER NOT NULL DEFAULT 1 CHECK (estimate_known IN (0, 1));
      ALTER TABLE jobs ADD COLUMN charge_known INTEGER NOT NULL DEFAULT 1 CHECK (charge_known IN (0, 1));
    `)
  },
}
