/**
 * The failed-tasks migration (N-1, insert, N, compare), and the one write that counts a task the
 * provider failed upstream. Its number may change when branches merge: the version is read from
 * the migration object.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { schemaVersion } from '../../../src/main/core/store/database'
import { migration0007 as migrationFailedTasks } from '../../../src/main/core/store/migrations/0007-failed-tasks'
import { ImagesRepo } from '../../../src/main/core/store/images-repo'
import { JobsRepo } from '../../../src/main/core/store/jobs-repo'
import { openAtVersion } from '../../helpers/sqlite'
import { tempDir } from '../../helpers/temp-dir'

const V = migrationFailedTasks.version

describe(`${String(V).padStart(4, '0')}-failed-tasks`, () => {
  it('reads old jobs as having no failed task, and counts, prices and requeues or fails in one write', () => {
    const file = join(tempDir('proofsheet-migrate-'), 'library.sqlite')
    const before = openAtVersion(file, V - 1)
    const insert = before.prepare(`INSERT INTO jobs (id, provider, params, size, size_label, prompt, status, attempts, max_attempts,
        estimated_cost, currency, created_at, updated_at, remote_task_id)
      VALUES (?, 'toapis', '{"n":1}', '{"aspect":"1:1","resolution":"1K"}', '1:1 1K', 'kettle', 'running', 1, 4, 0.015, 'USD', 1, 1, ?)`)
    insert.run('job_a', 'task_1')
    insert.run('job_b', 'task_2')
    before.close()

    const db = openAtVersion(file, V)
    expect(schemaVersion(db)).toBe(V)
    const jobs = new JobsRepo(db, new ImagesRepo(db))
    expect(jobs.get('job_a')).toMatchObject({ failedTasks: 0, failedTasksCost: null, taskResubmits: 0, estimatedCost: 0.015 })

    const error = { kind: 'provider_down' as const, code: 'task_failed', message: 'failed upstream' }
    expect(jobs.taskFailed('job_a', { error, possibleCost: 0.015, resubmitAt: 50 }, 10)).toBe(true)
    expect(jobs.get('job_a')).toMatchObject({
      status: 'queued', nextAttemptAt: 50, remoteTaskId: null, failedTasks: 1, failedTasksCost: 0.015, taskResubmits: 1, estimatedCost: 0.03, errorCode: 'task_failed',
    })
    // A job no longer running is not counted again (a second runner, a cancel).
    expect(jobs.taskFailed('job_a', { error, possibleCost: 0.015, resubmitAt: null }, 11)).toBe(false)

    expect(jobs.taskFailed('job_b', { error, possibleCost: null, resubmitAt: null }, 12)).toBe(true)
    expect(jobs.get('job_b')).toMatchObject({
      status: 'failed', finishedAt: 12, chargedCost: 0, failedTasks: 1, failedTasksCost: null, taskResubmits: 0, estimatedCost: 0.015,
    })
    db.close()
  })
})
