import type { Database } from 'better-sqlite3'
import type { ImageRecord } from './records'

interface ImageRow {
  id: string
  job_id: string
  seq: number
  file: string
  thumb: string
  format: ImageRecord['format']
  width: number
  height: number
  bytes: number
  sha256: string
  prompt: string
  revised_prompt: string | null
  provider: string
  key_label: string | null
  favorite: 0 | 1
  created_at: number
}

function toRecord(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    seq: row.seq,
    file: row.file,
    thumb: row.thumb,
    format: row.format,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    sha256: row.sha256,
    prompt: row.prompt,
    revisedPrompt: row.revised_prompt,
    provider: row.provider,
    keyLabel: row.key_label,
    favorite: row.favorite === 1,
    createdAt: row.created_at,
  }
}

export interface ImagePageQuery {
  search?: string | undefined
  provider?: string | undefined
  favorite?: boolean | undefined
  limit: number
  after?: { createdAt: number; id: string } | undefined
}

/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, so
 * quotes, operators and punctuation in a search box can never make the query fail.
 */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu)
  if (!words || words.length === 0) return null
  return words.map((w) => `"${w}"*`).join(' ')
}

/** Image rows. The gallery pages with keyset cursors (created_at, id), never OFFSET. */
export class ImagesRepo {
  private readonly insertStmt
  private readonly getStmt
  private readonly byJobStmt
  private readonly favoriteStmt
  private readonly filesStmt

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO images (id, job_id, seq, file, thumb, format, width, height, bytes,
        sha256, prompt, revised_prompt, provider, key_label, favorite, created_at)
      VALUES (@id, @jobId, @seq, @file, @thumb, @format, @width, @height, @bytes, @sha256, @prompt,
        @revisedPrompt, @provider, @keyLabel, @favorite, @createdAt)`)
    this.getStmt = db.prepare('SELECT * FROM images WHERE id = ?')
    this.byJobStmt = db.prepare('SELECT * FROM images WHERE job_id = ? ORDER BY seq')
    this.favoriteStmt = db.prepare('UPDATE images SET favorite = ? WHERE id = ?')
    this.filesStmt = db.prepare('SELECT file FROM images').pluck()
  }

  insert(image: ImageRecord): void {
    this.insertStmt.run({ ...image, favorite: image.favorite ? 1 : 0 })
  }

  get(id: string): ImageRecord | undefined {
    const row = this.getStmt.get(id) as ImageRow | undefined
    return row && toRecord(row)
  }

  forJob(jobId: string): ImageRecord[] {
    return (this.byJobStmt.all(jobId) as ImageRow[]).map(toRecord)
  }

  setFavorite(id: string, favorite: boolean): boolean {
    return this.favoriteStmt.run(favorite ? 1 : 0, id).changes === 1
  }

  allFiles(): Set<string> {
    return new Set(this.filesStmt.all() as string[])
  }

  /** Newest first. Returns one page and the cursor for the next, or null at the end. */
  page(q: ImagePageQuery): { images: ImageRecord[]; next: { createdAt: number; id: string } | null } {
    const where: string[] = []
    const args: Record<string, unknown> = { limit: q.limit + 1 }
    let from = 'images'
    const match = q.search ? ftsQuery(q.search) : null
    // A search with no words in it ("!!!") filters nothing, like an empty box.
    if (match) {
      from = 'images JOIN images_fts ON images_fts.rowid = images.rowid'
      where.push('images_fts MATCH @match')
      args.match = match
    }
    if (q.provider) {
      where.push('images.provider = @provider')
      args.provider = q.provider
    }
    if (q.favorite !== undefined) {
      where.push('images.favorite = @favorite')
      args.favorite = q.favorite ? 1 : 0
    }
    if (q.after) {
      where.push('(images.created_at, images.id) < (@afterCreatedAt, @afterId)')
      args.afterCreatedAt = q.after.createdAt
      args.afterId = q.after.id
    }
    const sql = `SELECT images.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY images.created_at DESC, images.id DESC LIMIT @limit`
    const rows = this.db.prepare(sql).all(args) as ImageRow[]
    const images = rows.slice(0, q.limit).map(toRecord)
    const last = images.at(-1)
    return { images, next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }
}
