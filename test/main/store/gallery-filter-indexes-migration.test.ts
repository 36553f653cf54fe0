/**
 * The gallery-filter-indexes migration (N-1, insert, N, compare). Its number may change when
 * branches merge: everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0011 as migrationFilterIndexes } from '../../../src/main/core/store/migrations/0011-gallery-filter-indexes'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { openAtVersion, queryPlan, seedOldGallery } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationFilterIndexes.version

describe(`${String(V).padStart(4, '0')}-gallery-filter-indexes`, () => {
  it('keeps every image and serves provider + favorite from the new index', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    seedOldGallery(before, Array.from({ length: 6 }, (_, i) => ({ provider: i % 2 ? 'openai' : 'demo', favorite: i < 4 })))
    expect(before.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'images_by_provider_favorite'").pluck().get()).toBe(0)
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'images_by_provider_favorite'").pluck().get()).toBe(1)
    const repo = new ImagesRepo(db)
    expect(repo.page({ provider: 'openai', favorite: true, limit: 10 }).images.map((i) => i.id)).toEqual(['img_3', 'img_1'])
    expect(repo.total({ provider: 'openai', favorite: true })).toEqual({ count: 2, approximate: false })
    const plan = queryPlan(db, 'SELECT id FROM images WHERE provider = ? AND favorite = ? ORDER BY created_at DESC, id DESC', ['openai', 1])
    expect(plan.join('\n')).toMatch(/images_by_provider_favorite/)
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/)
    db.close()
  })
})
