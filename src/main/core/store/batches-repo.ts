import type { Database } from 'better-sqlite3'

export interface BatchRecord {
  id: string
  name: string | null
  budget: number | null
  templateName: string | null
  sourceName: string | null
  createdAt: number
}

interface BatchRow {
  id: string
  name: string | null
  budget: number | null
  template_name: string | null
  source_name: string | null
  created_at: number
}

/** Batch rows with what a SKU batch records about itself (template, source file). */
export class BatchesRepo {
  private readonly insertStmt
  private readonly getStmt

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO batches (id, name, budget, template_name, source_name, created_at)
      VALUES (@id, @name, @budget, @templateName, @sourceName, @createdAt)`)
    this.getStmt = db.prepare('SELECT * FROM batches WHERE id = ?')
  }

  insert(batch: BatchRecord): void {
    this.insertStmt.run(batch)
  }

  get(id: string): BatchRecord | undefined {
    const row = this.getStmt.get(id) as BatchRow | undefined
    return (
      row && {
        id: row.id,
        name: row.name,
        budget: row.budget,
        templateName: row.template_name,
        sourceName: row.source_name,
        createdAt: row.created_at,
      }
    )
  }
}
