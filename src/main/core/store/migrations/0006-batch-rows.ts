import type { Migration } from './types'

/**
 * SKU batches: a job remembers the table row it came from and that row's SKU (exports name files
 * by {sku}), and a batch remembers its template and source file. Columns are added, nothing is
 * rebuilt; old jobs and batches read as null.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'batch-rows',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN sku TEXT;
      ALTER TABLE jobs ADD COLUMN batch_row INTEGER;
      ALTER TABLE batches ADD COLUMN template_name TEXT;
      ALTER TABLE batches ADD COLUMN source_name TEXT;
    `)
  },
}
