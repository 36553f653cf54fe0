/**
 * The tag-favorite-index migration (N-1, insert, N, compare). Its number may change when branches
 * merge: everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0012 as migrationTagFavorite } from '../../../src/main/core/store/migrations/0012-tag-favorite-index'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { TagsRepo } from '../../../src/main/core/store/tags-repo'
import { openAtVersion, queryPlan, seedOldGallery } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationTagFavorite.version

describe(`${String(V).padStart(4, '0')}-tag-favorite-index`, () => {
  it('copies each image favorite onto its tag rows, keeps it in step, and serves tag + favorite from one index', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    // img_0..img_5, favorites img_0, img_2, img_4; all but img_5 tagged "hero".
    seedOldGallery(before, Array.from({ length: 6 }, (_, i) => ({ provider: 'openai', favorite: i % 2 === 0 })))
    const tag = before.prepare("INSERT INTO image_tags (image_id, tag, created_at) SELECT id, 'hero', created_at FROM images WHERE id = ?")
    for (let i = 0; i < 5; i++) tag.run(`img_${i}`)
    const tagsBefore = before.prepare('SELECT image_id, tag, created_at FROM image_tags ORDER BY image_id').all()
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    // Every tag row kept, each now carrying its image's favorite.
    expect(db.prepare('SELECT image_id, tag, created_at FROM image_tags ORDER BY image_id').all()).toEqual(tagsBefore)
    expect(db.prepare('SELECT image_id FROM image_tags WHERE favorite = 1 ORDER BY image_id').pluck().all()).toEqual(['img_0', 'img_2', 'img_4'])

    const images = new ImagesRepo(db)
    const starred = (): string[] => images.page({ tag: 'hero', favorite: true, limit: 10 }).images.map((i) => i.id)
    expect(starred()).toEqual(['img_4', 'img_2', 'img_0'])
    expect(images.total({ tag: 'hero', favorite: true })).toEqual({ count: 3, approximate: false })

    // Starring and unstarring after tagging, one image or many, moves the tag rows with it.
    images.setFavorite('img_1', true)
    images.setFavoriteMany(['img_0', 'img_2'], false)
    expect(starred()).toEqual(['img_4', 'img_1'])
    expect(images.page({ tag: 'hero', favorite: false, limit: 10 }).images.map((i) => i.id)).toEqual(['img_3', 'img_2', 'img_0'])
    // A tag added later copies the favorite it finds.
    new TagsRepo(db).add(['img_5', 'img_4'], ['late'])
    expect(db.prepare("SELECT image_id, favorite FROM image_tags WHERE tag = 'late' ORDER BY image_id").all()).toEqual([
      { image_id: 'img_4', favorite: 1 },
      { image_id: 'img_5', favorite: 0 },
    ])

    const plan = queryPlan(db, 'SELECT image_id FROM image_tags WHERE tag = ? AND favorite = ? ORDER BY created_at DESC, image_id DESC', ['hero', 1])
    expect(plan.join('\n')).toMatch(/image_tags_by_tag_favorite/)
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/)
    db.close()
  })
})
