import type { Migration } from './types'

/**
 * A tag with favorites (the "starred hero shots" view) gets an index of its own. Favorite lives on
 * images and a tag's pages are read from image_tags, so before this SQLite walked the tag's index
 * and read each image row to test its favorite: about 1 / share of favorites rows per page, and
 * every row of the tag for the count. image_tags now carries a copy of its image's favorite, as it
 * already copies created_at (migration 0005), and the index (tag, favorite, created_at, image_id)
 * serves the page in keyset order and the count as one range.
 *
 * The copy is kept by a trigger rather than by the repository, so no write path (one image, many,
 * a rerun of an old statement) can leave a tag row disagreeing with its image.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'tag-favorite-index',
  up(db) {
    db.exec(`
      ALTER TABLE image_tags ADD COLUMN favorite INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1));
      UPDATE image_tags SET favorite = 1 WHERE image_id IN (SELECT id FROM images WHERE favorite = 1);
      CREATE INDEX image_tags_by_tag_favorite ON image_tags (tag, favorite, created_at, image_id);
      CREATE TRIGGER image_tags_favorite_copy AFTER UPDATE OF favorite ON images
        WHEN new.favorite IS NOT old.favorite BEGIN
        UPDATE image_tags SET favorite = new.favorite WHERE image_id = new.id;
      END;
    `)
  },
}
