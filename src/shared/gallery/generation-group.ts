/**
 * Which generation an image (or a job still running) belongs to, the one rule the engine and the
 * gallery both apply: a Generate press at several sizes shares its batch id; a SKU batch is many
 * generations, one per table row; a single job (any number of images) is its own generation.
 */
export function generationGroupId(job: { id: string; batchId: string | null; batchRow?: number | null | undefined }): string {
  if (job.batchId === null) return job.id
  if (job.batchRow === null || job.batchRow === undefined) return job.batchId
  return `${job.batchId}/row-${job.batchRow}`
}
