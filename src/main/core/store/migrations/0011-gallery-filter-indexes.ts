import type { Migration } from './types'

/**
 * Provider and favorite together (the "starred from this provider" view) get an index of their
 * own, ending in (created_at, id) like every gallery index: its page is read in keyset order and
 * its count is a range of one covering index. Before, SQLite walked every favorite and read each
 * row to test its provider, for the page and again, end to end, for the count.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'gallery-filter-indexes',
  up(db) {
    db.exec('CREATE INDEX images_by_provider_favorite ON images (provider, favorite, created_at, id);')
  },
}
