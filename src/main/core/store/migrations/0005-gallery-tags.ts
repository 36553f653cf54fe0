import type { Migration } from './types'

/**
 * The gallery's filters and tags. Each filter gets an index that ends in (created_at, id), so a
 * filtered page is read in keyset order without sorting: key label, pixel size, batch, and tags.
 *
 * `images.batch_id` copies the job's batch (a job never changes batch), because an index can only
 * cover columns of its own table. `image_tags.created_at` copies the image's creation time for the
 * same reason: a tag's images then page straight from `image_tags_by_tag`. Both copies are written
 * by the repository from the row they copy, never by a caller.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'gallery-tags',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN batch_id TEXT REFERENCES batches(id);
      UPDATE images SET batch_id = (SELECT jobs.batch_id FROM jobs WHERE jobs.id = images.job_id);

      CREATE INDEX images_by_key ON images (key_label, created_at, id);
      CREATE INDEX images_by_size ON images (width, height, created_at, id);
      CREATE INDEX images_by_batch ON images (batch_id, created_at, id) WHERE batch_id IS NOT NULL;

      CREATE TABLE image_tags (
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 64),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (image_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX image_tags_by_tag ON image_tags (tag, created_at, image_id);
    `)
  },
}
