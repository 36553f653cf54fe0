import type { Database } from 'better-sqlite3'

/**
 * Tags on images (migration 0003). Tags compare without case, and the library keeps the first
 * spelling it saw: adding "summer" where "Summer" exists files it under "Summer". Each row copies
 * its image's created_at and favorite so a tag's images, starred or not, page straight from a tag
 * index (a trigger keeps the favorite copy in step: migration 0012).
 */
export class TagsRepo {
  private readonly addStmt
  private readonly removeStmt
  private readonly spellingStmt
  private readonly forImagesStmt
  private readonly countsStmt

  constructor(private readonly db: Database) {
    this.addStmt = db.prepare(`INSERT OR IGNORE INTO image_tags (image_id, tag, created_at, favorite)
      SELECT id, @tag, created_at, favorite FROM images WHERE id = @id`)
    this.removeStmt = db.prepare('DELETE FROM image_tags WHERE image_id = @id AND tag = @tag')
    this.spellingStmt = db.prepare('SELECT tag FROM image_tags WHERE tag = ? LIMIT 1').pluck()
    this.forImagesStmt = db.prepare(`SELECT image_id AS id, tag FROM image_tags
      WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, tag`)
    this.countsStmt = db.prepare('SELECT tag AS value, count(*) AS count FROM image_tags GROUP BY tag ORDER BY tag')
  }

  /** The spelling the library already uses for `tag`, or `tag` itself when it is new. */
  spelling(tag: string): string {
    return (this.spellingStmt.get(tag) as string | undefined) ?? tag
  }

  /** Adds every tag to every image that exists; returns the tags as filed. */
  add(ids: readonly string[], tags: readonly string[]): string[] {
    return this.db.transaction(() => {
      const filed = tags.map((tag) => this.spelling(tag))
      for (const tag of filed) for (const id of ids) this.addStmt.run({ id, tag })
      return filed
    })()
  }

  remove(ids: readonly string[], tags: readonly string[]): void {
    this.db.transaction(() => {
      for (const tag of tags) for (const id of ids) this.removeStmt.run({ id, tag })
    })()
  }

  /** Tags of each image, alphabetical; images without tags are absent from the map. */
  forImages(ids: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>()
    if (ids.length === 0) return out
    for (const row of this.forImagesStmt.all(JSON.stringify(ids)) as { id: string; tag: string }[]) {
      const list = out.get(row.id)
      if (list) list.push(row.tag)
      else out.set(row.id, [row.tag])
    }
    return out
  }

  /** Every tag in use with how many images carry it. */
  counts(): { value: string; count: number }[] {
    return this.countsStmt.all() as { value: string; count: number }[]
  }
}
