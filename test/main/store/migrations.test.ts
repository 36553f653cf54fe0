/**
 * One test per migration, in Signal's style: bring a file to N-1, put data in, migrate to N,
 * compare. Add a `describe` here with every new migration file.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APPLICATION_ID, openDatabase, schemaVersion } from '../../../src/main/core/store/database'
import { migrations } from '../../../src/main/core/store/migrations'
import type { Migration } from '../../../src/main/core/store/migrations'
import { migration0003 } from '../../../src/main/core/store/migrations/0003-prompt-templates'
import { migration0005 } from '../../../src/main/core/store/migrations/0005-gallery-tags'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { JobsRepo } from '../../../src/main/core/store/jobs-repo'
import { TemplatesRepo } from '../../../src/main/core/store/templates-repo'
import { newImage, newJob } from '../../helpers/store-rows'
import { dumpTables, LATEST_VERSION, openAtVersion, schemaObjects, userTables } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const dbFile = (): string => join(tempDir('proofsheet-migrate-'), 'library.sqlite')

describe('migration list', () => {
  it('is numbered 1, 2, 3, ... without gaps, so user_version always names one schema', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
  })

  describe.each(migrations.map((m) => [`${String(m.version).padStart(4, '0')}-${m.name}`, m] as const))(
    '%s',
    (_label, m) => {
      it('keeps every row that existed before it and bumps user_version to its number', () => {
        const file = dbFile()
        const before = openAtVersion(file, m.version - 1)
        expect(schemaVersion(before)).toBe(m.version - 1)
        const rows = dumpTables(before)
        before.close()

        const after = openAtVersion(file, m.version)
        expect(schemaVersion(after)).toBe(m.version)
        const now = dumpTables(after)
        for (const [table, old] of Object.entries(rows)) {
          if (table in now) expect(now[table], `rows of ${table}`).toEqual(old)
        }
        after.close()
      })

      it('leaves every table STRICT', () => {
        const db = openAtVersion(dbFile(), m.version)
        const tables = userTables(db)
        expect(tables.length).toBeGreaterThan(0)
        expect(tables.filter((t) => t.strict !== 1).map((t) => t.name)).toEqual([])
        db.close()
      })
    },
  )
})

describe('migrate', () => {
  it('rolls a failing migration back completely: no half schema, user_version unchanged', () => {
    const file = dbFile()
    openDatabase(file, migrations).close()
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT')
        db.exec('ALTER TABLE jobs ADD COLUMN half_done INTEGER')
        throw new Error('disk on fire')
      },
    }
    expect(() => openDatabase(file, [...migrations, broken])).toThrow('disk on fire')

    const db = openDatabase(file, migrations)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(schemaObjects(db).map((o) => o.name)).not.toContain('half_done')
    const jobColumns = (db.pragma('table_info(jobs)') as { name: string }[]).map((c) => c.name)
    expect(jobColumns).not.toContain('half_done')
    db.close()
  })

  it('runs each migration once: reopening an up-to-date library changes nothing', () => {
    const file = dbFile()
    const db = openDatabase(file)
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    jobs.insertMany([newJob({ id: 'job_keep' })])
    const schema = schemaObjects(db)
    db.close()

    const again = openDatabase(file)
    expect(schemaVersion(again)).toBe(LATEST_VERSION)
    expect(schemaObjects(again)).toEqual(schema)
    expect(new JobsRepo(again, new ImagesRepo(again)).get('job_keep')?.prompt).toBe(newJob().prompt)
    again.close()
  })
})

describe('0001-initial', () => {
  it('turns an empty file into the first schema, marked as ours', () => {
    const file = dbFile()
    const empty = openAtVersion(file, 0)
    expect(schemaVersion(empty)).toBe(0)
    expect(userTables(empty)).toEqual([])
    empty.close()

    const db = openAtVersion(file, 1)
    expect(schemaVersion(db)).toBe(1)
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(userTables(db).map((t) => t.name).sort()).toEqual(
      ['batches', 'images', 'jobs', 'keys', 'meta', 'provider_profiles'].sort(),
    )
    const objects = schemaObjects(db)
    const names = (type: string) => objects.filter((o) => o.type === type).map((o) => o.name)
    expect(names('index')).toEqual(
      expect.arrayContaining(['images_by_created', 'images_by_provider', 'images_by_favorite', 'jobs_by_status']),
    )
    expect(names('trigger').sort()).toEqual(['images_fts_delete', 'images_fts_insert', 'images_fts_update'])
    expect(names('table')).toContain('images_fts')
    db.close()
  })

  it('makes a wrong type an error instead of a surprise (STRICT), and checks its enums', () => {
    const db = openAtVersion(dbFile(), LATEST_VERSION) // repositories speak the newest schema
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    jobs.insertMany([newJob({ id: 'job_1' })])
    const images = new ImagesRepo(db)
    expect(() => images.insert({ ...newImage('job_1'), width: 'wide' as unknown as number })).toThrow(/INTEGER/)
    expect(() => db.prepare("UPDATE jobs SET status = 'exploded' WHERE id = 'job_1'").run()).toThrow(/CHECK/)
    expect(() => images.insert({ ...newImage('job_1'), format: 'gif' as 'png' })).toThrow(/CHECK/)
    // An image must belong to a job (foreign keys are on).
    expect(() => images.insert(newImage('job_missing'))).toThrow(/FOREIGN KEY/)
    expect(images.forJob('job_1')).toEqual([])
    db.close()
  })

  it('keeps images_fts in step with images on insert, update and delete', () => {
    const db = openAtVersion(dbFile(), LATEST_VERSION) // repositories speak the newest schema
    const images = new ImagesRepo(db)
    new JobsRepo(db, images).insertMany([newJob({ id: 'job_1' })])
    const hits = (word: string): string[] =>
      (
        db
          .prepare(
            'SELECT images.id FROM images JOIN images_fts ON images_fts.rowid = images.rowid WHERE images_fts MATCH ? ORDER BY images.id',
          )
          .all(`"${word}"`) as { id: string }[]
      ).map((r) => r.id)
    const integrity = (): void => {
      db.prepare("INSERT INTO images_fts (images_fts, rank) VALUES ('integrity-check', 1)").run()
    }

    images.insert(newImage('job_1', { id: 'img_a', seq: 0, prompt: 'red teapot on oak', revisedPrompt: 'a glossy red teapot' }))
    images.insert(newImage('job_1', { id: 'img_b', seq: 1, prompt: 'blue teapot on slate' }))
    expect(hits('teapot')).toEqual(['img_a', 'img_b'])
    expect(hits('glossy')).toEqual(['img_a'])
    integrity()

    db.prepare("UPDATE images SET prompt = 'green kettle on oak', revised_prompt = NULL WHERE id = 'img_a'").run()
    expect(hits('teapot')).toEqual(['img_b'])
    expect(hits('glossy')).toEqual([])
    expect(hits('kettle')).toEqual(['img_a'])
    integrity()

    // Updating another column must not disturb the index.
    images.setFavorite('img_b', true)
    expect(hits('slate')).toEqual(['img_b'])

    db.prepare("DELETE FROM images WHERE id = 'img_b'").run()
    expect(hits('teapot')).toEqual([])
    expect(hits('slate')).toEqual([])
    expect(hits('kettle')).toEqual(['img_a'])
    integrity()
    db.close()
  })
})

describe('0002-unknown-prices', () => {
  it('keeps existing amounts as known, and lets new rows say "unknown" instead of zero', () => {
    const file = dbFile()
    const v1 = openAtVersion(file, 1)
    v1.prepare(`INSERT INTO jobs (id, provider, params, size, size_label, prompt, status, max_attempts,
        estimated_cost, charged_cost, currency, created_at, updated_at)
      VALUES ('job_old', 'demo', '{}', '{"width":64,"height":64}', '64x64', 'old job', 'succeeded', 4,
        0.25, 0.25, 'USD', 1, 1)`).run()
    v1.close()

    const db = openAtVersion(file, LATEST_VERSION) // repositories speak the newest schema
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    expect(jobs.get('job_old')).toMatchObject({ estimatedCost: 0.25, chargedCost: 0.25 })

    jobs.insertMany([newJob({ id: 'job_unpriced', estimatedCost: null })])
    expect(jobs.get('job_unpriced')?.estimatedCost).toBeNull()
    expect(jobs.claim('job_unpriced', 10)).toBe(true)
    // One call with a known charge, one without: the total is unknown, not the partial sum.
    expect(jobs.recordImages('job_unpriced', [], 0.1, 11)).toBe(true)
    expect(jobs.get('job_unpriced')?.chargedCost).toBe(0.1)
    expect(jobs.recordImages('job_unpriced', [], null, 12)).toBe(true)
    expect(jobs.succeed('job_unpriced', 13)).toBe(true)
    expect(jobs.get('job_unpriced')?.chargedCost).toBeNull()
    db.close()
  })
})

describe('0003-prompt-templates', () => {
  const version = migration0003.version

  it('adds an empty prompt_templates table and keeps what was there', () => {
    const file = dbFile()
    const before = openAtVersion(file, version - 1)
    // Raw SQL: the repositories speak the newest schema, which this older file does not have yet.
    before.prepare(`INSERT INTO batches (id, name, created_at) VALUES ('batch_before_templates', 'Spring', 1)`).run()
    before.close()

    const db = openAtVersion(file, version)
    expect(userTables(db).map((t) => t.name)).toContain('prompt_templates')
    expect(db.prepare('SELECT count(*) FROM prompt_templates').pluck().get()).toBe(0)
    expect(db.prepare(`SELECT name FROM batches WHERE id = 'batch_before_templates'`).pluck().get()).toBe('Spring')
    db.close()
  })

  it('refuses a second name that differs only in case (also beyond ASCII), and defaults that are not an object', () => {
    const db = openAtVersion(dbFile(), version)
    const templates = new TemplatesRepo(db)
    const row = { body: 'b', defaults: {}, notes: '', createdAt: 1, updatedAt: 1 }
    templates.insert({ ...row, id: 'tpl_1', name: 'Émail packshot' })
    expect(() => templates.insert({ ...row, id: 'tpl_2', name: 'émail PACKSHOT' })).toThrow(/UNIQUE/)
    expect(() =>
      db.prepare(`INSERT INTO prompt_templates (id, name, name_key, body, defaults, created_at, updated_at)
        VALUES ('tpl_3', 'x', 'x', 'b', '[1]', 1, 1)`).run(),
    ).toThrow(/CHECK/)
    expect(templates.list().map((t) => t.id)).toEqual(['tpl_1'])
    db.close()
  })
})

describe('0005-gallery-tags', () => {
  it('copies each image its job\'s batch, adds the filter indexes and the tag table', () => {
    const file = dbFile()
    const v2 = openAtVersion(file, migration0005.version - 1)
    v2.prepare("INSERT INTO batches (id, name, budget, created_at) VALUES ('batch_1', 'mugs', NULL, 1)").run()
    const job = v2.prepare(`INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status,
        max_attempts, estimated_cost, currency, created_at, updated_at)
      VALUES (?, ?, 'demo', '{}', '{"width":64,"height":64}', '64x64', 'a mug', 'succeeded', 4, 0, 'USD', 1, 1)`)
    job.run('job_in_batch', 'batch_1')
    job.run('job_alone', null)
    const image = v2.prepare(`INSERT INTO images (id, job_id, seq, file, thumb, format, width, height, bytes, sha256,
        prompt, provider, created_at)
      VALUES (?, ?, 0, ?, ?, 'png', 64, 64, 10, 'x', 'a mug', 'demo', 5)`)
    image.run('img_a', 'job_in_batch', 'images/a.png', 'thumbs/a.webp')
    image.run('img_b', 'job_alone', 'images/b.png', 'thumbs/b.webp')
    v2.close()

    const db = openAtVersion(file, migration0005.version)
    const batches = db.prepare('SELECT id, batch_id FROM images ORDER BY id').all()
    expect(batches).toEqual([
      { id: 'img_a', batch_id: 'batch_1' },
      { id: 'img_b', batch_id: null },
    ])
    const names = schemaObjects(db).map((o) => o.name)
    expect(names).toEqual(
      expect.arrayContaining(['images_by_key', 'images_by_size', 'images_by_batch', 'image_tags', 'image_tags_by_tag']),
    )

    // Tags compare without case, and go when their image goes.
    const tag = db.prepare('INSERT INTO image_tags (image_id, tag, created_at) VALUES (?, ?, 5)')
    tag.run('img_a', 'Summer')
    expect(() => tag.run('img_a', 'summer')).toThrow(/UNIQUE/)
    expect(() => tag.run('img_a', '')).toThrow(/CHECK/)
    expect(() => tag.run('img_missing', 'x')).toThrow(/FOREIGN KEY/)
    db.prepare("DELETE FROM images WHERE id = 'img_a'").run()
    expect(db.prepare('SELECT count(*) FROM image_tags').pluck().get()).toBe(0)
    db.close()
  })

  it('files new images under their job\'s batch', () => {
    const db = openAtVersion(dbFile(), LATEST_VERSION)
    const images = new ImagesRepo(db)
    db.prepare("INSERT INTO batches (id, name, budget, created_at) VALUES ('batch_9', NULL, NULL, 1)").run()
    new JobsRepo(db, images).insertMany([newJob({ id: 'job_b', batchId: 'batch_9' }), newJob({ id: 'job_n' })])
    images.insert(newImage('job_b', { id: 'img_b' }))
    images.insert(newImage('job_n', { id: 'img_n' }))
    expect(db.prepare('SELECT id, batch_id FROM images ORDER BY id').all()).toEqual([
      { id: 'img_b', batch_id: 'batch_9' },
      { id: 'img_n', batch_id: null },
    ])
    db.close()
  })
})
