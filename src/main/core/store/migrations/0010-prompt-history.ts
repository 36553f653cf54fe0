import type { Migration } from './types'

/**
 * The prompt history (prompts.history): one row per distinct prompt with when a job last used it,
 * kept by a trigger as jobs are inserted, so the newest 200 are read from an index instead of
 * grouping every job of a 100,000-image library. SKU batch rows (batch_row set) are left out.
 * A partial index over starred images by prompt answers "did it make a starred image" per entry.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'prompt-history',
  up(db) {
    db.exec(`
      CREATE TABLE prompt_history (
        id INTEGER PRIMARY KEY,
        prompt TEXT NOT NULL UNIQUE,
        last_used_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX prompt_history_by_last_used ON prompt_history (last_used_at, id);

      INSERT INTO prompt_history (prompt, last_used_at)
        SELECT prompt, max(created_at) FROM jobs WHERE batch_row IS NULL GROUP BY prompt ORDER BY max(created_at);

      -- REPLACE gives a prompt used again a new, highest id: two uses in the same millisecond
      -- still list the one used last first (the reads order by last_used_at, then id). A job
      -- dated before the prompt's last use leaves it where it is.
      CREATE TRIGGER prompt_history_on_job AFTER INSERT ON jobs WHEN new.batch_row IS NULL BEGIN
        INSERT OR REPLACE INTO prompt_history (prompt, last_used_at)
          SELECT new.prompt, new.created_at
          WHERE new.created_at >= coalesce((SELECT last_used_at FROM prompt_history WHERE prompt = new.prompt), new.created_at);
      END;

      CREATE INDEX images_starred_by_prompt ON images (prompt) WHERE favorite = 1;
    `)
  },
}
