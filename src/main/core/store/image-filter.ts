import { searchWords } from '../../../shared/gallery/search-words'

/**
 * The WHERE clause of a gallery view, shared by the page, the count and the id list so the three
 * can never disagree about which images a filter means. Every filter is written so SQLite can
 * answer it from an index ending in (created_at, id): see the EXPLAIN QUERY PLAN tests.
 */

export interface ImageFilter {
  search?: string | undefined
  provider?: string | undefined
  keyLabel?: string | undefined
  size?: { width: number; height: number } | undefined
  batchId?: string | undefined
  tag?: string | undefined
  favorite?: boolean | undefined
  /** Milliseconds since the epoch, inclusive. */
  from?: number | undefined
  /** Milliseconds since the epoch, exclusive. */
  to?: number | undefined
}

export interface Cursor {
  createdAt: number
  id: string
}

export interface FilterSql {
  from: string
  where: string
  args: Record<string, unknown>
  /** The (created_at, id) pair to order and seek by: the tag index's own copy when a tag drives. */
  order: { at: string; id: string }
}

/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, so
 * quotes, operators and punctuation in a search box can never make the query fail.
 */
export function ftsQuery(text: string): string | null {
  const words = searchWords(text)
  if (words.length === 0) return null
  return words.map((w) => `"${w}"*`).join(' ')
}

/** The rowids of the images whose prompts match @match. */
export const MATCHING_ROWIDS = 'SELECT rowid FROM images_fts WHERE images_fts MATCH @match'

/**
 * How a search is joined in. 'walk' (the default) tests each row of the keyset walk against the
 * match; 'match' starts from the match and sorts it, which is cheaper only when the match is
 * small (see RARE_MATCH in images-repo).
 */
export type SearchDrive = 'walk' | 'match'

export function filterSql(f: ImageFilter, after?: Cursor, drive: SearchDrive = 'walk'): FilterSql {
  const where: string[] = []
  const args: Record<string, unknown> = {}
  const joins: string[] = []
  let order = { at: 'images.created_at', id: 'images.id' }
  const match = f.search ? ftsQuery(f.search) : null
  // A search with no words in it ("!!!") filters nothing, like an empty box.
  const matchFirst = match !== null && drive === 'match'
  if (matchFirst) {
    // Few matches: read them from the full-text index, each image by rowid (and its tag by the
    // tag table's primary key), then sort the few. CROSS JOIN fixes that order: left to choose,
    // SQLite may walk another filter's index and run the whole match again for every row.
    joins.push('images_fts CROSS JOIN images ON images.rowid = images_fts.rowid')
    where.push('images_fts MATCH @match')
    args.match = match
  }
  // A tag filter drives the query from the tag index, which carries its own copy of created_at.
  if (f.tag !== undefined) {
    joins.push(matchFirst ? 'CROSS JOIN image_tags ON image_tags.image_id = images.id' : 'image_tags JOIN images ON images.id = image_tags.image_id')
    where.push('image_tags.tag = @tag')
    args.tag = f.tag
    order = { at: 'image_tags.created_at', id: 'image_tags.image_id' }
  } else if (!matchFirst) {
    joins.push('images')
  }
  if (match && !matchFirst) {
    // A membership test, not a join: SQLite gathers the match's rowids once (one pass over the
    // full-text index, into a bloom-filtered list), then walks the (created_at, id) index newest
    // first and stops at the LIMIT. Joined, it reads every match and sorts them all before the
    // first row of a page, which at a common word is most of the library. The unary `+` keeps
    // SQLite from turning the test around into rowid lookups driven by the match (which sorts).
    where.push(`+images.rowid IN (${MATCHING_ROWIDS})`)
    args.match = match
  }
  const equal = (column: string, name: string, value: unknown): void => {
    if (value === undefined) return
    where.push(`${column} = @${name}`)
    args[name] = value
  }
  equal('images.provider', 'provider', f.provider)
  equal('images.key_label', 'keyLabel', f.keyLabel)
  equal('images.width', 'width', f.size?.width)
  equal('images.height', 'height', f.size?.height)
  equal('images.batch_id', 'batchId', f.batchId)
  // With a tag, the tag row's copy of favorite (migration 0012) keeps the walk inside the
  // (tag, favorite, created_at, image_id) index; the image's own column would cost a row per step.
  equal(f.tag !== undefined ? 'image_tags.favorite' : 'images.favorite', 'favorite', f.favorite === undefined ? undefined : f.favorite ? 1 : 0)
  if (f.from !== undefined) {
    where.push(`${order.at} >= @from`)
    args.from = f.from
  }
  // Below the cursor the end of the range is already implied, and leaving it out lets SQLite
  // seek straight to the cursor instead of walking down from the end of the range.
  if (f.to !== undefined && !(after && after.createdAt < f.to)) {
    where.push(`${order.at} < @to`)
    args.to = f.to
  }
  if (after) {
    where.push(`(${order.at}, ${order.id}) < (@afterCreatedAt, @afterId)`)
    args.afterCreatedAt = after.createdAt
    args.afterId = after.id
  }
  return { from: joins.join(' '), where: where.length ? `WHERE ${where.join(' AND ')}` : '', args, order }
}
