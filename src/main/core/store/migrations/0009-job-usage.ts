import type { Migration } from './types'

/**
 * Token usage per job (OpenAI reports input, output and image tokens) and how the charged amount
 * was found: from those tokens and the model's token prices (with their source), the provider's own
 * figure, or the list price. Columns are added; older jobs read as "no usage, basis unknown".
 */
export const migration0009: Migration = {
  version: 9,
  name: 'job-usage',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN usage TEXT;
      ALTER TABLE jobs ADD COLUMN charge_basis TEXT;
      ALTER TABLE jobs ADD COLUMN charge_source TEXT;
    `)
  },
}
