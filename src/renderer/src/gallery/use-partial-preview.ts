import { useEffect, useState } from 'react'
import type { JobPartialImage } from '../../../shared/api'
import { useApi } from '../app/stores-context'

/**
 * The latest partial image a streaming provider sent for a running job, for its placeholder tile:
 * asked for once when the tile mounts (partials may have come before it did), then kept current
 * by `job.partial` events. Held by the tile alone: partials never enter the gallery, and the tile
 * gives way to the final image when that lands.
 */
export function usePartialPreview(jobId: string, watching: boolean): JobPartialImage | null {
  const api = useApi()
  const [partial, setPartial] = useState<JobPartialImage | null>(null)
  useEffect(() => {
    if (!watching) return undefined
    let live = true
    // An older partial must not replace a newer one, whichever answer comes first.
    const newer = (next: JobPartialImage) => (prev: JobPartialImage | null) =>
      prev && (prev.imageIndex > next.imageIndex || (prev.imageIndex === next.imageIndex && prev.partialIndex >= next.partialIndex)) ? prev : next
    const off = api.on('job.partial', (next) => {
      if (live && next.jobId === jobId) setPartial(newer(next))
    })
    api.call('jobs.partialPreview', { id: jobId }).then(
      ({ partial: known }) => {
        if (live && known) setPartial(newer(known))
      },
      // No preview is no loss: the tile shows its status and progress either way.
      () => undefined,
    )
    return () => {
      live = false
      off()
    }
  }, [api, jobId, watching])
  return partial
}
