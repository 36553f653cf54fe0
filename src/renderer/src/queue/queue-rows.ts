import type { JobView } from '../../../shared/api'
import { summarizeBatch, type BatchSummary } from '../../../shared/queue/batch-summary'
import type { QueueEntry } from './queue-entries'

/**
 * The Queue list as one flat run of rows, the way the virtual list draws it: a batch is its header
 * row followed (unless collapsed) by one row per job. Rows keep what the nested markup needs: the
 * group a job belongs to and its place in that group or in the top-level list.
 */
export type QueueRow =
  | { kind: 'header'; key: string; batchId: string; jobs: JobView[]; summary: BatchSummary; expanded: boolean; position: number }
  | { kind: 'job'; key: string; job: JobView; batchId: string | null; position: number; setSize: number; sharedPrompt: boolean }

export function queueRows(entries: readonly QueueEntry[], collapsed: Readonly<Record<string, true>>): QueueRow[] {
  const rows: QueueRow[] = []
  entries.forEach((entry, index) => {
    const position = index + 1
    if (entry.kind === 'job') {
      rows.push({ kind: 'job', key: entry.key, job: entry.job, batchId: null, position, setSize: entries.length, sharedPrompt: false })
      return
    }
    const summary = summarizeBatch(entry.jobs)
    const expanded = !collapsed[entry.key]
    rows.push({ kind: 'header', key: entry.key, batchId: entry.batchId, jobs: entry.jobs, summary, expanded, position })
    if (!expanded) return
    entry.jobs.forEach((job, at) => {
      rows.push({ kind: 'job', key: job.id, job, batchId: entry.batchId, position: at + 1, setSize: entry.jobs.length, sharedPrompt: summary.prompt !== null })
    })
  })
  return rows
}
