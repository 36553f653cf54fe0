/**
 * The gallery: keyset pages (created_at, id) newest first, full-text search that no typed text
 * can break, and the indexes that keep a page fast at any depth.
 */
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ftsQuery, ImagesRepo, type ImagePageQuery } from '../../../src/main/core/store/images-repo'
import type { ImageRecord } from '../../../src/main/core/store/records'
import { Store } from '../../../src/main/core/store/store'
import { queryPlan, recordingQueries } from '../../helpers/sqlite'
import { newImage, newJob } from '../../helpers/store-rows'
import { tempDir } from '../../helpers/temp-dir'

const T0 = 1_741_944_600_000
const PROMPTS = ['red sneaker on white', 'blue teapot, studio light', 'café terrace at dusk', 'poster: "SALE" 50% off']
const PROVIDERS = ['gettoken', 'toapis', 'demo']

/** 250 images in 5 jobs; created_at repeats in runs of 7 so the id must break ties. */
function galleryOf250(): { store: Store; all: ImageRecord[] } {
  const store = Store.open(join(tempDir('proofsheet-images-'), 'library.sqlite'))
  const jobs = Array.from({ length: 5 }, (_, j) => newJob({ id: `job_${j}` }))
  store.jobs.insertMany(jobs)
  for (const j of jobs) store.jobs.claim(j.id, T0)
  const all: ImageRecord[] = []
  for (let i = 0; i < 250; i++) {
    // Ids are not in created_at order, so a page sorted by id alone would be wrong.
    const id = `img_${((i * 7919) % 1000).toString().padStart(4, '0')}_${i}`
    all.push(
      newImage(`job_${i % 5}`, {
        id,
        seq: Math.floor(i / 5),
        createdAt: T0 + Math.floor(i / 7) * 1000,
        prompt: `${PROMPTS[i % PROMPTS.length]} #${i}`,
        provider: PROVIDERS[i % PROVIDERS.length]!,
        favorite: i % 10 === 0,
      }),
    )
  }
  store.transaction(() => {
    for (const image of all) store.images.insert(image)
  })
  return { store, all }
}

const newestFirst = (a: ImageRecord, b: ImageRecord): number =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

function allPages(repo: ImagesRepo, q: Omit<ImagePageQuery, 'after'>): { pages: number; ids: string[] } {
  const ids: string[] = []
  let after: ImagePageQuery['after']
  let pages = 0
  for (;;) {
    const page = repo.page({ ...q, after })
    pages++
    expect(page.images.length).toBeLessThanOrEqual(q.limit)
    ids.push(...page.images.map((i) => i.id))
    if (!page.next) break
    after = page.next
    if (pages > 1000) throw new Error('paging does not end')
  }
  return { pages, ids }
}

describe('ImagesRepo paging', () => {
  it('returns each of 250 images exactly once, newest first, across pages (ties on created_at included)', () => {
    const { store, all } = galleryOf250()
    const { pages, ids } = allPages(store.images, { limit: 17 })
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...all].sort(newestFirst).map((i) => i.id))
    expect(pages).toBe(Math.ceil(250 / 17))
    store.close()
  })

  it('pages a provider filter and a favorites filter the same way', () => {
    const { store, all } = galleryOf250()
    const toapis = allPages(store.images, { limit: 9, provider: 'toapis' }).ids
    expect(toapis).toEqual(all.filter((i) => i.provider === 'toapis').sort(newestFirst).map((i) => i.id))
    const favorites = allPages(store.images, { limit: 4, favorite: true }).ids
    expect(favorites).toEqual(all.filter((i) => i.favorite).sort(newestFirst).map((i) => i.id))
    store.close()
  })

  it('says there is no next page when the last page is exactly full', () => {
    const { store } = galleryOf250()
    const page = store.images.page({ limit: 250 })
    expect(page.images).toHaveLength(250)
    expect(page.next).toBeNull()
    store.close()
  })
})

describe('ImagesRepo search', () => {
  it('matches word prefixes, ignores accents, and combines with the provider filter and paging', () => {
    const { store, all } = galleryOf250()
    const sneakers = all.filter((i) => i.prompt.startsWith('red sneaker'))
    expect(allPages(store.images, { limit: 10, search: 'sneak' }).ids).toEqual([...sneakers].sort(newestFirst).map((i) => i.id))
    expect(store.images.page({ limit: 500, search: 'cafe terr' }).images).toHaveLength(
      all.filter((i) => i.prompt.startsWith('café')).length,
    )
    const both = allPages(store.images, { limit: 7, search: 'teapot studio', provider: 'demo' }).ids
    const expected = all.filter((i) => i.prompt.includes('teapot') && i.provider === 'demo').sort(newestFirst)
    expect(expected.length).toBeGreaterThan(0)
    expect(both).toEqual(expected.map((i) => i.id))
    expect(store.images.page({ limit: 10, search: 'giraffe' }).images).toEqual([])
    store.close()
  })

  it('finds the revised prompt a provider sent back', () => {
    const { store } = galleryOf250()
    store.images.insert(newImage('job_0', { id: 'img_revised', seq: 999, revisedPrompt: 'A photorealistic hummingbird', createdAt: T0 }))
    expect(store.images.page({ limit: 5, search: 'hummingbird' }).images.map((i) => i.id)).toEqual(['img_revised'])
    store.close()
  })

  it.each([
    '"unbalanced',
    'poster: "SALE"',
    'red AND OR NOT blue',
    'NEAR(red blue, 2)',
    'sneak*',
    '*',
    '-red +blue',
    'prompt:red',
    '^red',
    "50% off (limited) [edition] {new} ~ | & \\ ' ;",
    'DROP TABLE images; --',
    '👟 sneaker',
    '',
    '   ',
  ])('never throws on typed text %j', (text) => {
    const { store } = galleryOf250()
    expect(() => store.images.page({ limit: 20, search: text })).not.toThrow()
    const q = ftsQuery(text)
    if (q !== null) {
      expect(() => store.db.prepare('SELECT count(*) FROM images_fts WHERE images_fts MATCH ?').get(q)).not.toThrow()
    }
    store.close()
  })

  it('treats a search with no words in it as no filter, like an empty box', () => {
    const { store } = galleryOf250()
    const all = store.images.page({ limit: 20 }).images.map((i) => i.id)
    expect(store.images.page({ limit: 20, search: '!!!' }).images.map((i) => i.id)).toEqual(all)
    expect(store.images.page({ limit: 20, search: '   ' }).images.map((i) => i.id)).toEqual(all)
    store.close()
  })

  it('treats operator words and punctuation in a search as plain words to find', () => {
    const { store } = galleryOf250()
    // "SALE" and "50" appear only in the poster prompts; quotes and the colon must not matter.
    const posters = store.images.page({ limit: 500, search: 'poster: "SALE" 50%' }).images
    expect(posters.length).toBe(Math.ceil(250 / 4) - 1)
    expect(posters.every((i) => i.prompt.startsWith('poster'))).toBe(true)
    store.close()
  })
})

/** Records the SQL and arguments ImagesRepo.page really runs. */
function spyingRepo(db: Database): { repo: ImagesRepo; ran: { sql: string; args: unknown }[] } {
  const { db: spy, ran } = recordingQueries(db)
  return { repo: new ImagesRepo(spy), ran }
}

describe('ImagesRepo query plans', () => {
  const plans = (q: ImagePageQuery) => {
    const { store } = galleryOf250()
    const { repo, ran } = spyingRepo(store.db)
    const first = repo.page(q)
    expect(first.next).not.toBeNull()
    const next = repo.page({ ...q, after: first.next! })
    expect(next.images.length).toBeGreaterThan(0)
    // A search first probes how many matches there are (at most RARE_MATCH): not a page.
    const pages = ran.filter((r) => !r.sql.startsWith('SELECT count(*)'))
    expect(pages).toHaveLength(2)
    const result = pages.map((r) => queryPlan(store.db, r.sql, r.args))
    store.close()
    return result
  }
  const noFullScan = (plan: string[]): void => {
    expect(plan.join('\n')).not.toMatch(/SCAN images\b(?! USING)/) // images_fts is the full-text index, not the table
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
  }

  it('reads the first page and the next in index order, seeking to the cursor', () => {
    const [first, next] = plans({ limit: 20 })
    noFullScan(first!)
    expect(first!.join('\n')).toMatch(/USING (COVERING )?INDEX images_by_created/)
    noFullScan(next!)
    expect(next!.join('\n')).toMatch(/SEARCH images USING (COVERING )?INDEX images_by_created \(\(created_at,id\)<\(\?,\?\)\)/)
  })

  it('uses the provider index for a provider-filtered page, cursor included', () => {
    const [first, next] = plans({ limit: 20, provider: 'toapis' })
    noFullScan(first!)
    expect(first!.join('\n')).toMatch(/SEARCH images USING (COVERING )?INDEX images_by_provider \(provider=\?\)/)
    noFullScan(next!)
    expect(next!.join('\n')).toMatch(/INDEX images_by_provider \(provider=\? AND \(created_at,id\)<\(\?,\?\)\)/)
  })

  it('uses the favorite index for the favorites view', () => {
    const [first, next] = plans({ limit: 5, favorite: true })
    noFullScan(first!)
    noFullScan(next!)
    expect(next!.join('\n')).toMatch(/INDEX images_by_favorite \(favorite=\? AND \(created_at,id\)<\(\?,\?\)\)/)
  })

  it('drives a rare word from the full-text index (match first), not a scan of images', () => {
    const [first] = plans({ limit: 5, search: 'teapot' })
    expect(first!.join('\n')).toMatch(/images_fts VIRTUAL TABLE/)
    expect(first!.join('\n')).toMatch(/SEARCH images USING INTEGER PRIMARY KEY/)
  })
})
