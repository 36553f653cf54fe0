/**
 * The order the engine pages jobs and images in: newest first by `createdAt`, then by `id`
 * descending (its keyset, `ORDER BY created_at DESC, id DESC`). A door that merges pages with
 * events sorts with this, so a merged list reads the same as one the engine sent whole.
 */
export function newestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}
