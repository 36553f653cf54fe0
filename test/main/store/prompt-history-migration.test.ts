/**
 * The prompt-history migration (N-1, insert, N, compare). Its number may change when branches
 * merge: everything here reads the version from the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0010 as migrationPromptHistory } from '../../../src/main/core/store/migrations/0010-prompt-history'
import { PromptHistoryRepo } from '../../../src/main/core/store/prompt-history-repo'
import { openAtVersion } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationPromptHistory.version

describe(`${String(V).padStart(4, '0')}-prompt-history`, () => {
  it('fills the history from the jobs already there, then follows new jobs', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    const insertJob = (db: typeof before, id: string, prompt: string, createdAt: number, batchRow: number | null = null): void => {
      db.prepare(
        `INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status, max_attempts,
          estimated_cost, currency, created_at, updated_at, batch_row)
        VALUES (?, NULL, 'demo', '{}', '{"width":64,"height":64}', '64x64', ?, 'succeeded', 4, 0, 'USD', ?, ?, ?)`,
      ).run(id, prompt, createdAt, createdAt, batchRow)
    }
    insertJob(before, 'job_a', 'old mug', 1)
    insertJob(before, 'job_b', 'old teapot', 2)
    insertJob(before, 'job_c', 'old mug', 3)
    insertJob(before, 'job_row', 'sku row prompt', 4, 2)
    before
      .prepare(
        `INSERT INTO images (id, job_id, seq, file, thumb, format, width, height, bytes, sha256, prompt, provider, favorite, created_at)
        VALUES ('img_b', 'job_b', 0, 'images/b.png', 'thumbs/b.webp', 'png', 64, 64, 10, 'x', 'old teapot', 'demo', 1, 2)`,
      )
      .run()
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    const history = new PromptHistoryRepo(db)
    expect(history.recent(10)).toEqual([
      { prompt: 'old mug', lastUsedAt: 3, starred: 0 },
      { prompt: 'old teapot', lastUsedAt: 2, starred: 1 },
    ])
    insertJob(db, 'job_d', 'old teapot', 10)
    insertJob(db, 'job_e', 'new vase', 11)
    insertJob(db, 'job_row2', 'another sku row', 12, 3)
    expect(history.recent(10).map((h) => [h.prompt, h.lastUsedAt])).toEqual([
      ['new vase', 11],
      ['old teapot', 10],
      ['old mug', 3],
    ])
    db.close()
  })
})
