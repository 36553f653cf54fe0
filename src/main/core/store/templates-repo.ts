import type { Database } from 'better-sqlite3'
import { templateNameKey } from '../../../shared/api/templates'

/** A prompt template as stored; `defaults` holds only variables that have one. */
export interface TemplateRecord {
  id: string
  name: string
  body: string
  defaults: Record<string, string>
  notes: string
  createdAt: number
  updatedAt: number
}

interface TemplateRow {
  id: string
  name: string
  body: string
  defaults: string
  notes: string
  created_at: number
  updated_at: number
}

function parseDefaults(text: string): Record<string, string> {
  const value = JSON.parse(text) as Record<string, unknown>
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

const toRecord = (r: TemplateRow): TemplateRecord => ({
  id: r.id,
  name: r.name,
  body: r.body,
  defaults: parseDefaults(r.defaults),
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const toParams = (t: TemplateRecord) => ({
  id: t.id,
  name: t.name,
  nameKey: templateNameKey(t.name),
  body: t.body,
  defaults: JSON.stringify(t.defaults),
  notes: t.notes,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
})

/** Rows of prompt_templates. Checks of the text itself belong to templates/template-library.ts. */
export class TemplatesRepo {
  private readonly listStmt
  private readonly getStmt
  private readonly byNameStmt
  private readonly insertStmt
  private readonly updateStmt
  private readonly removeStmt

  constructor(db: Database) {
    this.listStmt = db.prepare('SELECT * FROM prompt_templates ORDER BY name_key, id')
    this.getStmt = db.prepare('SELECT * FROM prompt_templates WHERE id = ?')
    this.byNameStmt = db.prepare('SELECT * FROM prompt_templates WHERE name_key = ?')
    this.insertStmt = db.prepare(`INSERT INTO prompt_templates (id, name, name_key, body, defaults, notes, created_at, updated_at)
      VALUES (@id, @name, @nameKey, @body, @defaults, @notes, @createdAt, @updatedAt)`)
    this.updateStmt = db.prepare(`UPDATE prompt_templates
      SET name = @name, name_key = @nameKey, body = @body, defaults = @defaults, notes = @notes, updated_at = @updatedAt
      WHERE id = @id`)
    this.removeStmt = db.prepare('DELETE FROM prompt_templates WHERE id = ?')
  }

  list(): TemplateRecord[] {
    return (this.listStmt.all() as TemplateRow[]).map(toRecord)
  }
  get(id: string): TemplateRecord | undefined {
    const row = this.getStmt.get(id) as TemplateRow | undefined
    return row && toRecord(row)
  }
  /** The template whose name equals `name` regardless of case, if any. */
  findByName(name: string): TemplateRecord | undefined {
    const row = this.byNameStmt.get(templateNameKey(name)) as TemplateRow | undefined
    return row && toRecord(row)
  }
  insert(t: TemplateRecord): void {
    this.insertStmt.run(toParams(t))
  }
  /** Replaces name, body, defaults, notes and updatedAt; `createdAt` stays. False if no such id. */
  update(t: TemplateRecord): boolean {
    return this.updateStmt.run(toParams(t)).changes === 1
  }
  remove(id: string): boolean {
    return this.removeStmt.run(id).changes === 1
  }
}
