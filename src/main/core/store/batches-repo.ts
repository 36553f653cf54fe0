import type { Database } from 'better-sqlite3'

export interface BatchRecord {
  id: string
  name: string | null
  budget: number | null
  templateName: string | null
  sourceName: string | null
  createdAt: number
}

/** A batch from a Generate press (several sizes) has no template or source file. */
export type NewBatch = Omit<BatchRecord, 'templateName' | 'sourceName'> & Partial<Pick<BatchRecord, 'templateName' | 'sourceName'>>

interface BatchRow {
  id: string
  name: string | null
  budget: number | null
  template_name: string | null
  source_name: string | null
  created_at: number
}

/**
 * Batch rows with what a SKU batch records about itself (template, source file). The one way a
 * batch row is written: GenerationService (a Generate press with several sizes) and BatchService
 * (SKU batches) both insert through here.
 */
export class BatchesRepo {
  private readonly insertStmt
  private readonly getStmt

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO batches (id, name, budget, template_name, source_name, created_at)
      VALUES (@id, @name, @budget, @templateName, @sourceName, @createdAt)`)
    this.getStmt = db.prepare('SELECT * FROM batches WHERE id = ?')
  }

  insert(batch: NewBatch): void {
    const { id, name, budget, createdAt } = batch
    this.insertStmt.run({ id, name, budget, templateName: batch.templateName ?? null, sourceName: batch.sourceName ?? null, createdAt })
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
