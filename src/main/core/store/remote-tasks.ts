/**
 * The provider tasks of one job, as its `remote_task_id` column holds them. A job whose calls run
 * one at a time keeps the one task id as it always did (plain text: the task of its first unsaved
 * call). A fan-out of split calls keeps several at once, by the seq of each call's first image, as
 * a JSON object; a call that was sent but has no task id yet is kept as "" so that a restart knows
 * it may have been paid for. No migration: old rows read as they always did.
 */

/** A call sent to the provider whose task id had not come back yet. */
export const SENT_WITHOUT_TASK = ''

export type RemoteTasks = Map<number, string>

/** Reads the column; a plain id belongs to the call that starts at `firstUnsavedSeq`. */
export function parseRemoteTasks(value: string | null, firstUnsavedSeq: number): RemoteTasks {
  const tasks: RemoteTasks = new Map()
  if (value === null) return tasks
  if (!value.startsWith('{')) {
    tasks.set(firstUnsavedSeq, value)
    return tasks
  }
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>
    for (const [seq, id] of Object.entries(parsed)) {
      if (typeof id === 'string' && /^\d+$/.test(seq)) tasks.set(Number(seq), id)
    }
  } catch {
    // A hand-edited or foreign value: no task is known, so nothing is polled that was not ours.
  }
  return tasks
}

/** The column's value: null once no task is left. */
export function formatRemoteTasks(tasks: RemoteTasks): string | null {
  if (tasks.size === 0) return null
  return JSON.stringify(Object.fromEntries([...tasks].sort((a, b) => a[0] - b[0]).map(([seq, id]) => [String(seq), id])))
}

/** The first seq of 0..n-1 that has no image yet (n when all are saved). */
export function firstUnsavedSeq(saved: readonly number[], n: number): number {
  const have = new Set(saved)
  for (let seq = 0; seq < n; seq++) if (!have.has(seq)) return seq
  return n
}
