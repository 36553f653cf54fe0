import type { Migration } from './types'

/**
 * The first schema: profiles, key metadata (never secrets), batches, jobs, images and a full-text
 * index over prompts. Every table is STRICT so a wrong type is an error instead of a surprise.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE provider_profiles (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('custom', 'override')),
        data TEXT NOT NULL CHECK (json_valid(data)),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        label TEXT NOT NULL,
        last4 TEXT NOT NULL,
        backend TEXT NOT NULL CHECK (backend IN ('keychain', 'encrypted-file', 'session')),
        created_at INTEGER NOT NULL,
        UNIQUE (provider, label)
      ) STRICT;

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        name TEXT,
        budget REAL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        batch_id TEXT REFERENCES batches(id),
        provider TEXT NOT NULL,
        params TEXT NOT NULL CHECK (json_valid(params)),
        size TEXT NOT NULL CHECK (json_valid(size)),
        size_label TEXT NOT NULL,
        prompt TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled', 'interrupted')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        next_attempt_at INTEGER,
        remote_task_id TEXT,
        error_kind TEXT,
        error_code TEXT,
        error_message TEXT,
        estimated_cost REAL NOT NULL,
        charged_cost REAL,
        currency TEXT NOT NULL,
        key_id TEXT,
        key_env TEXT,
        key_label TEXT,
        base_url TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX jobs_by_status ON jobs (status, next_attempt_at);
      CREATE INDEX jobs_by_batch ON jobs (batch_id);
      CREATE INDEX jobs_by_created ON jobs (created_at, id);

      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        seq INTEGER NOT NULL,
        file TEXT NOT NULL UNIQUE,
        thumb TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('png', 'jpeg', 'webp')),
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        prompt TEXT NOT NULL,
        revised_prompt TEXT,
        provider TEXT NOT NULL,
        key_label TEXT,
        favorite INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
        created_at INTEGER NOT NULL,
        UNIQUE (job_id, seq)
      ) STRICT;
      CREATE INDEX images_by_created ON images (created_at, id);
      CREATE INDEX images_by_provider ON images (provider, created_at, id);
      CREATE INDEX images_by_favorite ON images (favorite, created_at, id);

      CREATE VIRTUAL TABLE images_fts USING fts5(
        prompt, revised_prompt, content = 'images', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
        INSERT INTO images_fts (rowid, prompt, revised_prompt) VALUES (new.rowid, new.prompt, new.revised_prompt);
      END;
      CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
        INSERT INTO images_fts (images_fts, rowid, prompt, revised_prompt)
          VALUES ('delete', old.rowid, old.prompt, old.revised_prompt);
      END;
      CREATE TRIGGER images_fts_update AFTER UPDATE OF prompt, revised_prompt ON images BEGIN
        INSERT INTO images_fts (images_fts, rowid, prompt, revised_prompt)
          VALUES ('delete', old.rowid, old.prompt, old.revised_prompt);
        INSERT INTO images_fts (rowid, prompt, revised_prompt) VALUES (new.rowid, new.prompt, new.revised_prompt);
      END;
    `)
  },
}
