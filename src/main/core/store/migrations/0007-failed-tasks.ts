import type { Migration } from './types'

/**
 * Tasks a provider failed upstream (ToAPIs `generation_failed`). The provider may bill a failed
 * task all the same, so a job remembers how many of its tasks failed, what they may have cost, and
 * how often the queue resubmitted on its own: the count lives with the job, so a restart or crash
 * recovery can never grant a second free resubmission. Columns are added; old jobs read as none.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'failed-tasks',
  up(db) {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN failed_tasks INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN failed_tasks_cost REAL;
      ALTER TABLE jobs ADD COLUMN task_resubmits INTEGER NOT NULL DEFAULT 0;
    `)
  },
}
