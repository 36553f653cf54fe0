import type { Database, Statement } from 'better-sqlite3'
import { filterSql, ftsQuery, MATCHING_ROWIDS, type Cursor, type ImageFilter, type SearchDrive } from './image-filter'
import { RerunOrigin } from '../../../shared/api'
import type { ImageRecord } from './records'
import { generationGroupId } from '../../../shared/gallery/generation-group'

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

/** The job's columns a gallery listing carries along (LEFT JOIN: never reorders the plan). */
interface ListingRow extends ImageRow {
  job_batch_id: string | null
  job_batch_row: number | null
  job_sku: string | null
  job_estimated_cost: number | null
  job_estimate_known: 0 | 1 | null
  job_charged_cost: number | null
  job_charge_known: 0 | 1 | null
  job_currency: string | null
  job_rerun_of: string | null
}

/** An image as the gallery lists it: the row plus what its job says about its generation. */
export interface ImageListing extends ImageRecord {
  groupId: string
  sku: string | null
  jobCost: { estimated: number | null; charged: number | null; currency: string }
  rerunOf: RerunOrigin | null
}

const LISTING_COLUMNS = `images.*, jobs.batch_id AS job_batch_id, jobs.batch_row AS job_batch_row, jobs.sku AS job_sku,
  jobs.estimated_cost AS job_estimated_cost, jobs.estimate_known AS job_estimate_known,
  jobs.charged_cost AS job_charged_cost, jobs.charge_known AS job_charge_known, jobs.currency AS job_currency,
  json_extract(jobs.params, '$.rerunOf') AS job_rerun_of`
const JOB_JOIN = 'LEFT JOIN jobs ON jobs.id = images.job_id'

function toListing(row: ListingRow): ImageListing {
  return {
    ...toRecord(row),
    groupId: generationGroupId({ id: row.job_id, batchId: row.job_batch_id, batchRow: row.job_batch_row }),
    sku: row.job_sku,
    jobCost: {
      estimated: row.job_estimate_known ? row.job_estimated_cost : null,
      charged: row.job_charge_known ? row.job_charged_cost : null,
      currency: row.job_currency ?? 'USD',
    },
    rerunOf: rerunOrigin(row.job_rerun_of),
  }
}

/** The rerun origin json_extract read from the job's params (JSON text), or null. */
function rerunOrigin(text: string | null): RerunOrigin | null {
  if (text === null) return null
  try {
    return RerunOrigin.safeParse(JSON.parse(text)).data ?? null
  } catch {
    return null
  }
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

export interface ImagePageQuery extends ImageFilter {
  limit: number
  after?: Cursor | undefined
}

export { ftsQuery }

export interface Facets {
  providers: { value: string; count: number }[]
  keyLabels: { value: string; count: number }[]
  sizes: { value: string; count: number }[]
  batches: { id: string; name: string | null; createdAt: number; count: number }[]
}

/** Fewer full-text matches than this are read match first and sorted (see searchDrive). */
export const RARE_MATCH = 500

/** Up to this many matches a combined filter's total is exact. */
export const TOTAL_CAP = 1000

export interface Total {
  count: number
  /** True when `count` is an estimate (a combined filter past TOTAL_CAP). */
  approximate: boolean
}

/** The filter split into its single conditions (a date range is one), each a filter of its own. */
export function conditionsOf(q: ImageFilter): ImageFilter[] {
  const one: ImageFilter[] = []
  if (q.search && ftsQuery(q.search)) one.push({ search: q.search })
  if (q.provider !== undefined) one.push({ provider: q.provider })
  if (q.keyLabel !== undefined) one.push({ keyLabel: q.keyLabel })
  if (q.size !== undefined) one.push({ size: q.size })
  if (q.batchId !== undefined) one.push({ batchId: q.batchId })
  if (q.tag !== undefined) one.push({ tag: q.tag })
  if (q.favorite !== undefined) one.push({ favorite: q.favorite })
  if (q.from !== undefined || q.to !== undefined) one.push({ from: q.from, to: q.to })
  return one
}

/** A tag, alone or with favorites: one range of a tag index, so its count is exact and cheap. */
function isTagRange(q: ImageFilter): boolean {
  const conditions = conditionsOf(q)
  return q.tag !== undefined && conditions.length === (q.favorite === undefined ? 1 : 2)
}

/** An estimate to two significant figures: its last digits would claim a precision it lacks. */
function roughly(n: number): number {
  if (n < 100) return Math.round(n)
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1)
  return Math.round(n / unit) * unit
}

/** Image rows. The gallery pages with keyset cursors (created_at, id), never OFFSET. */
export class ImagesRepo {
  private readonly insertStmt
  private readonly getStmt
  private readonly listingStmt
  private readonly byJobStmt
  private readonly favoriteStmt
  private readonly deleteStmt
  private readonly filesStmt
  private readonly facetStmts
  /** Filtered queries differ only by which filters are set: each shape is prepared once. */
  private readonly prepared = new Map<string, Statement>()
  private totalsStmt: Statement | undefined

  constructor(private readonly db: Database) {
    // batch_id is copied from the job here, so no caller can get it wrong (migration 0003).
    this.insertStmt = db.prepare(`INSERT INTO images (id, job_id, seq, file, thumb, format, width, height, bytes,
        sha256, prompt, revised_prompt, provider, key_label, favorite, created_at, batch_id)
      VALUES (@id, @jobId, @seq, @file, @thumb, @format, @width, @height, @bytes, @sha256, @prompt,
        @revisedPrompt, @provider, @keyLabel, @favorite, @createdAt, (SELECT batch_id FROM jobs WHERE id = @jobId))`)
    this.getStmt = db.prepare('SELECT * FROM images WHERE id = ?')
    this.listingStmt = db.prepare(`SELECT ${LISTING_COLUMNS} FROM images ${JOB_JOIN} WHERE images.id = ?`)
    this.byJobStmt = db.prepare('SELECT * FROM images WHERE job_id = ? ORDER BY seq')
    this.favoriteStmt = db.prepare('UPDATE images SET favorite = ? WHERE id = ?')
    this.deleteStmt = db.prepare('DELETE FROM images WHERE id = ?')
    this.filesStmt = db.prepare('SELECT file FROM images').pluck()
    // Each reads one covering index from end to end: a few milliseconds at 100,000 images.
    this.facetStmts = {
      providers: db.prepare('SELECT provider AS value, count(*) AS count FROM images GROUP BY provider ORDER BY provider'),
      keyLabels: db.prepare(`SELECT key_label AS value, count(*) AS count FROM images
        WHERE key_label IS NOT NULL GROUP BY key_label ORDER BY key_label`),
      sizes: db.prepare(`SELECT width || 'x' || height AS value, count(*) AS count FROM images
        GROUP BY width, height ORDER BY width * height DESC, width DESC`),
      batches: db.prepare(`SELECT batches.id, batches.name, batches.created_at AS createdAt, counted.count
        FROM (SELECT batch_id, count(*) AS count FROM images WHERE batch_id IS NOT NULL GROUP BY batch_id) AS counted
        JOIN batches ON batches.id = counted.batch_id ORDER BY batches.created_at DESC`),
    }
  }

  /** How many images the library holds and their files' bytes (the library's size in settings). */
  totals(): { count: number; bytes: number } {
    this.totalsStmt ??= this.db.prepare('SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM images')
    return this.totalsStmt.get() as { count: number; bytes: number }
  }

  insert(image: ImageRecord): void {
    this.insertStmt.run({ ...image, favorite: image.favorite ? 1 : 0 })
  }

  get(id: string): ImageRecord | undefined {
    const row = this.getStmt.get(id) as ImageRow | undefined
    return row && toRecord(row)
  }

  /** One image as the gallery lists it. */
  listing(id: string): ImageListing | undefined {
    const row = this.listingStmt.get(id) as ListingRow | undefined
    return row && toListing(row)
  }

  forJob(jobId: string): ImageRecord[] {
    return (this.byJobStmt.all(jobId) as ImageRow[]).map(toRecord)
  }

  setFavorite(id: string, favorite: boolean): boolean {
    return this.favoriteStmt.run(favorite ? 1 : 0, id).changes === 1
  }

  /** One transaction for the lot; returns how many images exist and were set. */
  setFavoriteMany(ids: readonly string[], favorite: boolean): number {
    return this.db.transaction(() => {
      let changed = 0
      for (const id of ids) changed += this.favoriteStmt.run(favorite ? 1 : 0, id).changes
      return changed
    })()
  }

  /** Deletes the row (its tags go with it); true if it existed. Files are the caller's business. */
  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes === 1
  }

  allFiles(): Set<string> {
    return new Set(this.filesStmt.all() as string[])
  }

  /**
   * Newest first. Returns one page and the cursor for the next, or null at the end. Each image
   * carries its generation and its job's cost: one primary-key lookup per row on the page.
   */
  page(q: ImagePageQuery): { images: ImageListing[]; next: Cursor | null } {
    const f = filterSql(q, q.after, this.searchDrive(q))
    const rows = this.statement(
      `SELECT ${LISTING_COLUMNS} FROM ${f.from} ${JOB_JOIN} ${f.where} ORDER BY ${f.order.at} DESC, ${f.order.id} DESC LIMIT @limit`,
    ).all({ ...f.args, limit: q.limit + 1 }) as ListingRow[]
    const images = rows.slice(0, q.limit).map(toListing)
    const last = images.at(-1)
    return { images, next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  /** How many images match, exactly, whatever the page size. */
  count(q: ImageFilter): number {
    const match = q.search ? ftsQuery(q.search) : null
    // A search alone is counted in the full-text index: reading each match's image row, as the
    // filtered form does, costs a row lookup per match (most of the library for a common word).
    // The FTS table is kept in step with images by triggers, so the two counts are the same.
    if (match && conditionsOf(q).length === 1) {
      return this.statement(`SELECT count(*) FROM (${MATCHING_ROWIDS})`).pluck().get({ match }) as number
    }
    // A tag alone, or with favorites, is a range of a tag index: every tag row has its image
    // (deleted with it), and carries its favorite (migration 0012).
    if (q.tag !== undefined && isTagRange(q)) {
      if (q.favorite === undefined) return this.statement('SELECT count(*) FROM image_tags WHERE tag = @tag').pluck().get({ tag: q.tag }) as number
      return this.statement('SELECT count(*) FROM image_tags WHERE tag = @tag AND favorite = @favorite')
        .pluck()
        .get({ tag: q.tag, favorite: q.favorite ? 1 : 0 }) as number
    }
    const f = filterSql(q)
    return this.statement(`SELECT count(*) FROM ${f.from} ${f.where}`).pluck().get(f.args) as number
  }

  /**
   * The total a gallery view shows. One condition (or none), or a tag with favorites, is counted
   * exactly: it is a range of one index, or the full-text index alone. Several together are counted exactly up to
   * TOTAL_CAP, which bounds the work by the cap rather than by the library; past it the total is
   * estimated from each condition's own exact count as if they were independent, and said to be
   * approximate.
   */
  total(q: ImageFilter): Total {
    const conditions = conditionsOf(q)
    if (conditions.length <= 1 || isTagRange(q)) return { count: this.count(q), approximate: false }
    const all = this.count({})
    const counts = conditions.map((one) => this.count(one))
    const estimate = counts.reduce((product, n) => product * (n / Math.max(all, 1)), all)
    // With a search, counting to the cap from the match (each match's row by rowid) stops after
    // about cap / share matches when the estimate is well past the cap, and reads few rows when
    // the word is rare; the keyset walk would first gather the whole match as a list.
    const searched = conditions[0]?.search !== undefined ? counts[0]! : null
    const drive: SearchDrive = searched !== null && (searched < RARE_MATCH || estimate >= 2 * TOTAL_CAP) ? 'match' : 'walk'
    const f = filterSql(q, undefined, drive)
    const capped = this.statement(`SELECT count(*) FROM (SELECT 1 FROM ${f.from} ${f.where} LIMIT @cap)`)
      .pluck()
      .get({ ...f.args, cap: TOTAL_CAP + 1 }) as number
    if (capped <= TOTAL_CAP) return { count: capped, approximate: false }
    return { count: Math.max(TOTAL_CAP, roughly(estimate)), approximate: true }
  }

  /** Every matching id, newest first: what "select all" selects. */
  ids(q: ImageFilter): string[] {
    const f = filterSql(q, undefined, this.searchDrive(q))
    return this.statement(`SELECT images.id FROM ${f.from} ${f.where} ORDER BY ${f.order.at} DESC, ${f.order.id} DESC`)
      .pluck()
      .all(f.args) as string[]
  }

  facets(): Facets {
    type Count = { value: string; count: number }
    return {
      providers: this.facetStmts.providers.all() as Count[],
      keyLabels: this.facetStmts.keyLabels.all() as Count[],
      sizes: this.facetStmts.sizes.all() as Count[],
      batches: this.facetStmts.batches.all() as Facets['batches'],
    }
  }

  /**
   * A rare word is read match first: sorting a few hundred matches beats walking the whole keyset
   * index to find them. The probe stops at RARE_MATCH, so it costs little for a common word.
   */
  private searchDrive(q: ImageFilter): SearchDrive {
    const match = q.search ? ftsQuery(q.search) : null
    if (!match) return 'walk'
    const found = this.statement(`SELECT count(*) FROM (${MATCHING_ROWIDS} LIMIT @cap)`).pluck().get({ match, cap: RARE_MATCH }) as number
    return found < RARE_MATCH ? 'match' : 'walk'
  }

  private statement(sql: string): Statement {
    let stmt = this.prepared.get(sql)
    if (!stmt) this.prepared.set(sql, (stmt = this.db.prepare(sql)))
    return stmt
  }
}
