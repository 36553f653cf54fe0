import type { Database } from 'better-sqlite3'
import { ProfileSettings } from '../../../shared/api'

/**
 * User changes to provider profiles: overrides of built-ins and whole custom profiles, each stored
 * as the validated settings object. A row that no longer parses (written by a newer version, or
 * edited by hand) is skipped, not trusted.
 */
export class ProfilesRepo {
  private readonly listStmt
  private readonly upsertStmt
  private readonly removeStmt

  constructor(db: Database) {
    this.listStmt = db.prepare('SELECT id, data FROM provider_profiles ORDER BY id')
    this.upsertStmt = db.prepare(`INSERT INTO provider_profiles (id, kind, data, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data, updated_at = excluded.updated_at`)
    this.removeStmt = db.prepare('DELETE FROM provider_profiles WHERE id = ?')
  }

  list(onSkip: (id: string, why: string) => void = () => undefined): ProfileSettings[] {
    const out: ProfileSettings[] = []
    for (const row of this.listStmt.all() as { id: string; data: string }[]) {
      const parsed = ProfileSettings.safeParse(JSON.parse(row.data))
      if (parsed.success) out.push(parsed.data)
      else onSkip(row.id, parsed.error.issues[0]?.message ?? 'unreadable')
    }
    return out
  }

  save(settings: ProfileSettings, now: number): void {
    this.upsertStmt.run(settings.id, settings.kind, JSON.stringify(settings), now)
  }

  remove(id: string): boolean {
    return this.removeStmt.run(id).changes === 1
  }
}
