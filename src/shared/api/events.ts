import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { ExportState } from './exports'
import { JobPartialImage, JobView } from './jobs'
import { QueueState } from './queue'

/** Everything the engine pushes. Each door forwards these unchanged. */
export const events = onFirstUse(() => ({
  'job.updated': JobView,
  /** A streaming provider sent a partial image of a running job (see JobPartialImage). */
  'job.partial': JobPartialImage,
  'queue.changed': QueueState,
  'gallery.changed': z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  'export.progress': ExportState,
} as const))

export type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]> }
export type EventName = keyof Events
export type EventMessage = { [K in EventName]: { event: K; data: Events[K] } }[EventName]
