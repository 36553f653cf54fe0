/**
 * Gallery queries as a large library asks them: every search and filter shape returns exactly
 * what a plain reference query returns, in the same order, across keyset pages; the total is
 * exact where it is cheap or small and otherwise an estimate flagged as one; and each page is
 * read in keyset order from an index, never gathered and sorted whole (EXPLAIN QUERY PLAN).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFolderTrash } from '../../../src/main/core/gallery/trash'
import { GalleryService } from '../../../src/main/core/gallery/gallery-service'
import { MediaStore } from '../../../src/main/core/media/media-store'
import { ftsQuery, type ImageFilter } from '../../../src/main/core/store/image-filter'
import { ImagesRepo, RARE_MATCH, TOTAL_CAP, type ImagePageQuery } from '../../../src/main/core/store/images-repo'
import type { ImageRecord } from '../../../src/main/core/store/records'
import { Store } from '../../../src/main/core/store/store'
import { queryPlan, recordingQueries } from '../../helpers/sqlite'
import { newImage, newJob } from '../../helpers/store-rows'

const T0 = 1_767_225_600_000 // 2026-01-01
const MINUTE = 60_000
const IMAGES = 6000
const PROVIDERS = ['openai', 'toapis', 'demo']
const KEYS = ['studio', 'client-a', null]
const LIGHTS = ['soft light', 'rim lighting', 'hard light', 'golden hour']
const MATERIALS = ['walnut', 'marble', 'linen', 'steel', 'glass', 'cork', 'brass', 'clay', 'oak', 'felt']

let home: string
let store: Store

/**
 * 6000 images whose attributes vary independently (coprime strides), created_at repeating in
 * runs of 3 so ids break ties, and inserted in an order unrelated to created_at, so rowids say
 * nothing about the gallery's order. Three quarters of the prompts say "light"; one in ten
 * "walnut"; one in 29 "cobalt" (fewer than RARE_MATCH: read match first); one image "zeppelin".
 */
beforeAll(() => {
  // One library for the whole file (seeding it is most of the file's time), removed at the end.
  home = mkdtempSync(join(tmpdir(), 'proofsheet-gallery-queries-'))
  store = Store.open(join(home, 'library.sqlite'))
  store.jobs.insertMany([newJob({ id: 'job_a' }), newJob({ id: 'job_b' })])
  const images: ImageRecord[] = []
  for (let i = 0; i < IMAGES; i++) {
    images.push(
      newImage(i % 2 ? 'job_a' : 'job_b', {
        id: `img_${((i * 7919) % 10_000).toString().padStart(5, '0')}`,
        seq: i,
        createdAt: T0 + Math.floor(i / 3) * MINUTE,
        provider: PROVIDERS[i % 3]!,
        keyLabel: KEYS[i % 7 % 3]!,
        favorite: i % 11 === 0,
        width: i % 5 === 0 ? 2048 : 1024,
        height: 1024,
        prompt: `${MATERIALS[i % 10]} lamp, ${LIGHTS[i % 4]}${i % 29 === 0 ? ', cobalt' : ''}${i === 1234 ? ', zeppelin' : ''} number ${i}`,
      }),
    )
  }
  const shuffled = images.map((image, i) => ({ image, key: (i * 2_654_435_761) % 4_294_967_296 })).sort((a, b) => a.key - b.key)
  store.transaction(() => shuffled.forEach(({ image }) => store.images.insert(image)))
  store.tags.add(images.filter((_, i) => i % 5 === 1).map((i) => i.id), ['summer'])
  store.tags.add(images.filter((_, i) => i % 13 === 0).map((i) => i.id), ['hero shot'])
})

afterAll(() => {
  store.close()
  rmSync(home, { recursive: true, force: true })
})

/** The plain query a filter means: the match and the tag as membership, sorted whole. */
function reference(f: ImageFilter): string[] {
  const where: string[] = []
  const args: Record<string, unknown> = {}
  const match = f.search ? ftsQuery(f.search) : null
  if (match) {
    where.push('images.rowid IN (SELECT rowid FROM images_fts WHERE images_fts MATCH @match)')
    args.match = match
  }
  if (f.tag !== undefined) {
    where.push('images.id IN (SELECT image_id FROM image_tags WHERE tag = @tag)')
    args.tag = f.tag
  }
  const equal = (sql: string, name: string, value: unknown): void => {
    if (value === undefined) return
    where.push(`${sql} = @${name}`)
    args[name] = value
  }
  equal('provider', 'provider', f.provider)
  equal('key_label', 'keyLabel', f.keyLabel)
  equal('width', 'width', f.size?.width)
  equal('height', 'height', f.size?.height)
  equal('favorite', 'favorite', f.favorite === undefined ? undefined : f.favorite ? 1 : 0)
  if (f.from !== undefined) {
    where.push('created_at >= @from')
    args.from = f.from
  }
  if (f.to !== undefined) {
    where.push('created_at < @to')
    args.to = f.to
  }
  const sql = `SELECT id FROM images ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC`
  return store.db.prepare(sql).pluck().all(args) as string[]
}

function allPages(repo: ImagesRepo, q: Omit<ImagePageQuery, 'after'>): string[] {
  const ids: string[] = []
  let after: ImagePageQuery['after']
  for (let pages = 0; pages < 10_000; pages++) {
    const page = repo.page({ ...q, after })
    ids.push(...page.images.map((i) => i.id))
    if (!page.next) return ids
    after = page.next
  }
  throw new Error('paging does not end')
}

const shapes: { name: string; filter: ImageFilter }[] = [
  { name: 'everything', filter: {} },
  { name: 'a common word', filter: { search: 'light' } },
  { name: 'a single match', filter: { search: 'zeppelin' } },
  { name: 'two words', filter: { search: 'walnut lamp' } },
  { name: 'a common word and a provider', filter: { search: 'light', provider: 'openai' } },
  { name: 'a word and a provider', filter: { search: 'walnut', provider: 'openai' } },
  // Its estimate is past twice the cap: the count to the cap is read from the match.
  { name: 'a word in every prompt and not favorites', filter: { search: 'lamp', favorite: false } },
  { name: 'a common word and favorites', filter: { search: 'light', favorite: true } },
  { name: 'a common word and a tag', filter: { search: 'light', tag: 'summer' } },
  { name: 'a word in a date range', filter: { search: 'marble', from: T0 + 100 * MINUTE, to: T0 + 700 * MINUTE } },
  { name: 'a provider', filter: { provider: 'toapis' } },
  { name: 'a provider and favorites', filter: { provider: 'openai', favorite: true } },
  { name: 'a provider and not favorites', filter: { provider: 'openai', favorite: false } },
  { name: 'a tag', filter: { tag: 'hero shot' } },
  { name: 'a tag and favorites', filter: { tag: 'summer', favorite: true } },
  { name: 'a key label and a size', filter: { keyLabel: 'studio', size: { width: 2048, height: 1024 } } },
  { name: 'a tag, a provider and a word', filter: { tag: 'summer', provider: 'demo', search: 'steel' } },
  { name: 'a rare word', filter: { search: 'cobalt' } },
  { name: 'a rare word and a provider', filter: { search: 'cobalt', provider: 'demo' } },
  { name: 'a rare word and a tag', filter: { search: 'cobalt', tag: 'summer' } },
  { name: 'a rare word and favorites in a date range', filter: { search: 'cobalt', favorite: false, from: T0 + 200 * MINUTE, to: T0 + 1500 * MINUTE } },
  { name: 'a search with no words', filter: { search: '!!!' } },
]

describe('gallery queries: results and order', () => {
  it.each(shapes)('$name: the same images in the same order as the reference, across pages', ({ filter }) => {
    const expected = reference(filter)
    expect(allPages(store.images, { ...filter, limit: 97 })).toEqual(expected)
    expect(store.images.ids(filter)).toEqual(expected)
    expect(store.images.count(filter)).toBe(expected.length)
  })

  it('the seeded shapes cover both sides of the cap and of the common/rare divide', () => {
    expect(reference({ search: 'light' }).length).toBeGreaterThan(IMAGES / 2)
    expect(reference({ search: 'zeppelin' })).toHaveLength(1)
    expect(reference({ search: 'cobalt' }).length).toBeGreaterThan(100)
    expect(reference({ search: 'cobalt' }).length).toBeLessThan(RARE_MATCH)
    expect(reference({ search: 'walnut' }).length).toBeGreaterThanOrEqual(RARE_MATCH)
    expect(reference({ search: 'light', provider: 'openai' }).length).toBeGreaterThan(TOTAL_CAP)
    expect(reference({ provider: 'openai', favorite: true }).length).toBeLessThan(TOTAL_CAP)
  })
})

describe('gallery queries: the total', () => {
  it.each(shapes)('$name: exact up to the cap or for one condition, else an estimate flagged as one', ({ filter }) => {
    const expected = reference(filter).length
    const conditions = Object.keys(filter).filter((k) => k !== 'search' || ftsQuery(filter.search!)).length
    const total = store.images.total(filter)
    if (conditions <= 1 || expected <= TOTAL_CAP) {
      expect(total).toEqual({ count: expected, approximate: false })
    } else {
      expect(total.approximate).toBe(true)
      // The attributes are seeded independently, so the estimate lands near the truth.
      expect(total.count).toBeGreaterThanOrEqual(TOTAL_CAP)
      expect(Math.abs(total.count - expected) / expected).toBeLessThan(0.2)
    }
  })

  it('gallery.list carries approximate: true with an estimated total, and nothing extra with an exact one', () => {
    const gallery = new GalleryService({ store, media: new MediaStore({ home }), trash: createFolderTrash(home), emit: () => undefined })
    const estimated = gallery.list({ limit: 10, search: 'light', provider: 'openai' })
    expect(estimated.approximate).toBe(true)
    expect(estimated.total).toBe(store.images.total({ search: 'light', provider: 'openai' }).count)
    const exact = gallery.list({ limit: 10, search: 'light' })
    expect(exact).not.toHaveProperty('approximate')
    expect(exact.total).toBe(reference({ search: 'light' }).length)
    const later = gallery.list({ limit: 10, search: 'light', provider: 'openai', after: estimated.next! })
    expect(later).not.toHaveProperty('total')
    expect(later).not.toHaveProperty('approximate')
  })
})

describe('gallery queries: plans', () => {
  /** The plans of each statement the repository ran for a first page, a next page and a total. */
  function plans(filter: ImageFilter): { page: string; next: string; totals: string[] } {
    const { db, ran } = recordingQueries(store.db)
    const repo = new ImagesRepo(db)
    const first = repo.page({ ...filter, limit: 20 })
    repo.page({ ...filter, limit: 20, after: first.next! })
    repo.total(filter)
    // A search's page first probes the size of the match (stopping at RARE_MATCH): set apart.
    const isProbe = (sql: string): boolean => /^SELECT count\(\*\) FROM \(SELECT rowid FROM images_fts .* LIMIT @cap\)$/.test(sql)
    const probes = ran.filter((r) => isProbe(r.sql)).length
    const all = ran.filter((r) => !isProbe(r.sql)).map((r) => queryPlan(store.db, r.sql, r.args).join('\n'))
    expect(probes).toBe(filter.search ? 2 : 0)
    return { page: all[0]!, next: all[1]!, totals: all.slice(2) }
  }
  const noSortNoScan = (plan: string): void => {
    expect(plan).not.toMatch(/TEMP B-TREE/)
    expect(plan).not.toMatch(/SCAN images\b(?! USING)/)
  }

  it.each([
    { search: 'light' },
    { search: 'walnut lamp' },
    { search: 'light', provider: 'openai' },
    { search: 'light', favorite: true },
    { search: 'light', tag: 'summer' },
  ])('a search %o walks a keyset index and tests the match per row, never sorting the match', (filter) => {
    const { page, next, totals } = plans(filter)
    for (const plan of [page, next]) {
      noSortNoScan(plan)
      expect(plan).toMatch(/LIST SUBQUERY/)
      expect(plan).toMatch(/images_fts VIRTUAL TABLE/)
      expect(plan).toMatch(/(SCAN|SEARCH) (images|image_tags) USING (COVERING )?INDEX \w+/)
    }
    expect(next).toMatch(/\(created_at,(id|image_id)\)<\(\?,\?\)/)
    for (const plan of totals) noSortNoScan(plan)
  })

  it.each([{ search: 'cobalt' }, { search: 'cobalt', provider: 'demo' }, { search: 'cobalt', tag: 'summer' }])(
    'a rare word %o is read match first: each match by rowid, then the few sorted',
    (filter) => {
      const { page, next } = plans(filter)
      for (const plan of [page, next]) {
        expect(plan.split('\n')[0]).toMatch(/^SCAN images_fts VIRTUAL TABLE/)
        expect(plan).toMatch(/SEARCH images USING INTEGER PRIMARY KEY \(rowid=\?\)/)
        expect(plan).not.toMatch(/SCAN images\b(?! USING)/)
      }
    },
  )

  it('a search alone is counted in the full-text index without reading image rows', () => {
    const { totals } = plans({ search: 'light' })
    expect(totals).toHaveLength(1)
    expect(totals[0]).toMatch(/images_fts VIRTUAL TABLE/)
    expect(totals[0]).not.toMatch(/images USING/)
  })

  it('a tag alone is counted from the tag index only', () => {
    const { totals } = plans({ tag: 'hero shot' })
    // Either tag index answers it as one range (both begin with the tag).
    expect(totals).toHaveLength(1)
    expect(totals[0]).toMatch(/^SEARCH image_tags USING COVERING INDEX image_tags_by_tag(_favorite)? \(tag=\?\)$/)
  })

  it('a tag with favorites pages and counts from the tag-and-favorite index, reading no image row to test', () => {
    const { page, next, totals } = plans({ tag: 'summer', favorite: true })
    expect(page).toMatch(/SEARCH image_tags USING (COVERING )?INDEX image_tags_by_tag_favorite \(tag=\? AND favorite=\?\)/)
    expect(next).toMatch(/image_tags_by_tag_favorite \(tag=\? AND favorite=\? AND \(created_at,image_id\)<\(\?,\?\)\)/)
    noSortNoScan(page)
    // Exact at any size: one range of the index, never the favorites or the library counted.
    expect(totals).toEqual(['SEARCH image_tags USING COVERING INDEX image_tags_by_tag_favorite (tag=? AND favorite=?)'])
  })

  it('a provider with favorites pages and counts from the provider-and-favorite index', () => {
    const { page, next, totals } = plans({ provider: 'openai', favorite: true })
    expect(page).toMatch(/SEARCH images USING INDEX images_by_provider_favorite \(provider=\? AND favorite=\?\)/)
    expect(next).toMatch(/images_by_provider_favorite \(provider=\? AND favorite=\? AND \(created_at,id\)<\(\?,\?\)\)/)
    noSortNoScan(page)
    // The count up to the cap (the single conditions' counts for an estimate are the others).
    expect(totals.filter((t) => /SEARCH images USING COVERING INDEX images_by_provider_favorite \(provider=\? AND favorite=\?\)/.test(t))).toHaveLength(1)
    for (const plan of totals) noSortNoScan(plan)
  })
})
