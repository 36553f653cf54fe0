/**
 * The gallery's filters (key, size, batch, date range, tag) and tags: each filter returns exactly
 * the matching images newest first across keyset pages, its count and id list agree with its
 * pages, and each is answered from an index in keyset order, first page and later pages alike.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImageFilter } from '../../../src/main/core/store/image-filter'
import { ImagesRepo, type ImagePageQuery } from '../../../src/main/core/store/images-repo'
import type { ImageRecord } from '../../../src/main/core/store/records'
import { Store } from '../../../src/main/core/store/store'
import { queryPlan, recordingQueries } from '../../helpers/sqlite'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

const T0 = 1_767_225_600_000 // 2026-01-01
const DAY = 86_400_000
const SIZES = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
]
const KEYS = ['studio', 'client-a', null]

/** 300 images in 3 jobs (two batches, one without); 4 per day, so dates repeat and ids break ties. */
function library(): { store: Store; all: ImageRecord[]; tagged: Map<string, string[]> } {
  const store = Store.open(join(tempDir('proofsheet-filters-'), 'library.sqlite'))
  store.batches.insert({ id: 'batch_a', name: 'Mugs', budget: null, createdAt: T0 })
  store.batches.insert({ id: 'batch_b', name: 'Teapots', budget: null, createdAt: T0 + 1 })
  store.jobs.insertMany([
    newJob({ id: 'job_a', batchId: 'batch_a' }),
    newJob({ id: 'job_b', batchId: 'batch_b' }),
    newJob({ id: 'job_c' }),
  ])
  const all: ImageRecord[] = []
  for (let i = 0; i < 300; i++) {
    all.push(
      newImage(['job_a', 'job_b', 'job_c'][i % 3]!, {
        id: `img_${((i * 7919) % 1000).toString().padStart(4, '0')}`,
        seq: Math.floor(i / 3),
        createdAt: T0 + Math.floor(i / 4) * DAY,
        ...SIZES[i % 5 % 3]!,
        keyLabel: KEYS[i % 7 % 3]!,
        prompt: `${i % 2 ? 'mug' : 'teapot'} number ${i}`,
      }),
    )
  }
  store.transaction(() => all.forEach((image) => store.images.insert(image)))
  const tagged = new Map<string, string[]>()
  const everyFifth = all.filter((_, i) => i % 5 === 0).map((i) => i.id)
  const everySeventh = all.filter((_, i) => i % 7 === 0).map((i) => i.id)
  store.tags.add(everyFifth, ['Summer'])
  store.tags.add(everySeventh, ['hero shot'])
  for (const id of everyFifth) tagged.set(id, ['Summer'])
  for (const id of everySeventh) tagged.set(id, [...(tagged.get(id) ?? []), 'hero shot'].sort((a, b) => a.localeCompare(b)))
  return { store, all, tagged }
}

const newestFirst = (a: ImageRecord, b: ImageRecord): number =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

function allPages(repo: ImagesRepo, q: Omit<ImagePageQuery, 'after'>): string[] {
  const ids: string[] = []
  let after: ImagePageQuery['after']
  for (let pages = 0; pages < 1000; pages++) {
    const page = repo.page({ ...q, after })
    expect(page.images.length).toBeLessThanOrEqual(q.limit)
    ids.push(...page.images.map((i) => i.id))
    if (!page.next) return ids
    after = page.next
  }
  throw new Error('paging does not end')
}

const batchOf: Record<string, string> = { job_a: 'batch_a', job_b: 'batch_b' }

const cases: { name: string; filter: ImageFilter; keep: (image: ImageRecord, tags: string[]) => boolean; index: RegExp }[] = [
  { name: 'key label', filter: { keyLabel: 'studio' }, keep: (i) => i.keyLabel === 'studio', index: /images_by_key/ },
  {
    name: 'pixel size',
    filter: { size: { width: 1536, height: 1024 } },
    keep: (i) => i.width === 1536 && i.height === 1024,
    index: /images_by_size/,
  },
  { name: 'batch', filter: { batchId: 'batch_b' }, keep: (i) => batchOf[i.jobId] === 'batch_b', index: /images_by_batch/ },
  {
    name: 'date range',
    filter: { from: T0 + 10 * DAY, to: T0 + 40 * DAY },
    keep: (i) => i.createdAt >= T0 + 10 * DAY && i.createdAt < T0 + 40 * DAY,
    index: /images_by_created/,
  },
  // Tags compare without case: the filter "summer" finds images tagged "Summer".
  { name: 'tag', filter: { tag: 'summer' }, keep: (_i, tags) => tags.includes('Summer'), index: /image_tags_by_tag/ },
  {
    name: 'tag within a date range',
    filter: { tag: 'hero shot', from: T0 + 5 * DAY, to: T0 + 60 * DAY },
    keep: (i, tags) => tags.includes('hero shot') && i.createdAt >= T0 + 5 * DAY && i.createdAt < T0 + 60 * DAY,
    index: /image_tags_by_tag/,
  },
]

describe('gallery filters', () => {
  it.each(cases)('$name: every match once, newest first, across pages; count and ids agree', ({ filter, keep }) => {
    const { store, all, tagged } = library()
    const expected = all.filter((i) => keep(i, tagged.get(i.id) ?? [])).sort(newestFirst).map((i) => i.id)
    expect(expected.length).toBeGreaterThan(10)
    expect(expected.length).toBeLessThan(all.length)
    expect(allPages(store.images, { ...filter, limit: 7 })).toEqual(expected)
    expect(store.images.count(filter)).toBe(expected.length)
    expect(store.images.ids(filter)).toEqual(expected)
    store.close()
  })

  it('combines filters with AND', () => {
    const { store, all, tagged } = library()
    const filter: ImageFilter = { tag: 'Summer', keyLabel: 'client-a', size: { width: 1024, height: 1024 }, search: 'mug' }
    const expected = all
      .filter(
        (i) =>
          (tagged.get(i.id) ?? []).includes('Summer') &&
          i.keyLabel === 'client-a' &&
          i.width === 1024 &&
          i.height === 1024 &&
          i.prompt.startsWith('mug'),
      )
      .sort(newestFirst)
      .map((i) => i.id)
    expect(expected.length).toBeGreaterThan(0)
    expect(allPages(store.images, { ...filter, limit: 3 })).toEqual(expected)
    expect(store.images.count(filter)).toBe(expected.length)
    store.close()
  })

  it('pages a date range correctly when the cursor lies inside it', () => {
    const { store, all } = library()
    const to = T0 + 30 * DAY
    const expected = all.filter((i) => i.createdAt < to).sort(newestFirst).map((i) => i.id)
    expect(allPages(store.images, { to, limit: 11 })).toEqual(expected)
    store.close()
  })

  it('lists facets: providers, key labels, sizes (largest first) and batches with counts', () => {
    const { store, all } = library()
    const facets = store.images.facets()
    expect(facets.providers).toEqual([{ value: 'scripted', count: 300 }])
    expect(facets.keyLabels.map((k) => k.value)).toEqual(['client-a', 'studio'])
    expect(facets.keyLabels.reduce((n, k) => n + k.count, 0)).toBe(all.filter((i) => i.keyLabel !== null).length)
    expect(facets.sizes.map((s) => s.value)).toEqual(['1536x1024', '1024x1536', '1024x1024'])
    expect(facets.batches).toEqual([
      { id: 'batch_b', name: 'Teapots', createdAt: T0 + 1, count: 100 },
      { id: 'batch_a', name: 'Mugs', createdAt: T0, count: 100 },
    ])
    store.close()
  })
})

describe('tags', () => {
  it('files a tag under the spelling the library already uses, lists counts, and removes', () => {
    const { store, all } = library()
    const [first, second] = all
    expect(store.tags.add([first!.id, second!.id], ['SUMMER', 'new one'])).toEqual(['Summer', 'new one'])
    expect(store.tags.forImages([first!.id, second!.id])).toEqual(
      new Map([
        [first!.id, ['hero shot', 'new one', 'Summer']],
        [second!.id, ['new one', 'Summer']],
      ]),
    )
    expect(store.tags.counts()).toEqual([
      { value: 'hero shot', count: 43 },
      { value: 'new one', count: 2 },
      { value: 'Summer', count: 61 },
    ])
    store.tags.remove([first!.id, second!.id], ['summer', 'NEW ONE'])
    expect(store.tags.forImages([first!.id, second!.id])).toEqual(new Map([[first!.id, ['hero shot']]]))
    // An id that is not an image is passed over, not an error.
    expect(() => store.tags.add(['img_missing'], ['x'])).not.toThrow()
    expect(store.tags.forImages(['img_missing'])).toEqual(new Map())
    store.close()
  })

  it('go with their image when it is deleted', () => {
    const { store, all } = library()
    const id = all[0]!.id
    expect(store.images.delete(id)).toBe(true)
    expect(store.tags.forImages([id])).toEqual(new Map())
    expect(store.images.count({ tag: 'Summer' })).toBe(59)
    expect(store.images.delete(id)).toBe(false)
    store.close()
  })

  it('sets favorites on many images in one go', () => {
    const { store, all } = library()
    const ids = all.slice(0, 25).map((i) => i.id)
    expect(store.images.setFavoriteMany([...ids, 'img_missing'], true)).toBe(25)
    expect(store.images.count({ favorite: true })).toBe(25)
    expect(store.images.setFavoriteMany(ids.slice(0, 5), false)).toBe(5)
    expect(store.images.ids({ favorite: true })).toEqual(
      all
        .slice(5, 25)
        .sort(newestFirst)
        .map((i) => i.id),
    )
    store.close()
  })
})

describe('gallery filter query plans', () => {
  const plansOf = (filter: ImageFilter): string[] => {
    const { store } = library()
    const { db, ran } = recordingQueries(store.db)
    const repo = new ImagesRepo(db)
    const first = repo.page({ ...filter, limit: 5 })
    expect(first.next).not.toBeNull()
    repo.page({ ...filter, limit: 5, after: first.next! })
    repo.count(filter)
    repo.ids(filter)
    expect(ran).toHaveLength(4)
    const plans = ran.map((r) => queryPlan(store.db, r.sql, r.args).join('\n'))
    store.close()
    return plans
  }

  it.each(cases)('$name: read from its index, in keyset order, seeking to the cursor', ({ filter, index }) => {
    const [first, next, count, ids] = plansOf(filter)
    for (const plan of [first!, next!, count!, ids!]) {
      expect(plan).toMatch(index)
      expect(plan).not.toMatch(/SCAN images(?! USING)/)
      expect(plan).not.toMatch(/SCAN image_tags(?! USING)/)
    }
    for (const plan of [first!, next!, ids!]) expect(plan).not.toMatch(/TEMP B-TREE/)
    expect(next).toMatch(/\(created_at,(image_)?id\)<\(\?,\?\)/)
  })

  it('reads facets from covering indexes, never the table', () => {
    const { store } = library()
    const { db, ran } = recordingQueries(store.db)
    new ImagesRepo(db).facets()
    expect(ran).toHaveLength(4)
    for (const r of ran) {
      const plan = queryPlan(store.db, r.sql, r.args).join('\n')
      expect(plan).not.toMatch(/SCAN images(?! USING COVERING INDEX)/)
    }
    store.close()
  })
})
