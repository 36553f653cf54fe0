import type { Migration } from './types'

/**
 * Prompt templates. Names are unique regardless of case: `name_key` holds the folded name (see
 * templateNameKey), because SQLite's NOCASE folds ASCII only. Defaults are a JSON object of
 * variable name -> text. Built-ins are not seeded here: the engine writes them once per library
 * (templates/README.md says why), so this step is schema only.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'prompt-templates',
  up(db) {
    db.exec(`
      CREATE TABLE prompt_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        name_key TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        defaults TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(defaults) AND json_type(defaults) = 'object'),
        notes TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
