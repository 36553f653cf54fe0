import sharp from 'sharp'
import { PARTIAL_PREVIEW_SIDE, type EventMessage, type JobPartialImage } from '../../../shared/api'
import type { PartialImage } from '../providers/dialect'

/**
 * The latest partial image of each running job, kept in memory only: partials are rough drafts
 * the provider streams while it draws, so they never enter the library. Each becomes a small webp
 * data: URL, since it travels in an event to every door (IPC, the browser bridge's event stream)
 * and a placeholder that mounts later asks for it (`jobs.partialPreview`).
 *
 * Callers must `forget` a job once its image is stored or it stops, or previews would pile up.
 */
export type PreviewRenderer = (bytes: Uint8Array) => Promise<{ preview: string; width: number; height: number }>

/** Partials are at most the final image's size; more pixels than this is not an image we asked for. */
const MAX_PARTIAL_PIXELS = 40_000_000

export const renderPartialPreview: PreviewRenderer = async (bytes) => {
  const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_PARTIAL_PIXELS })
    .resize({ width: PARTIAL_PREVIEW_SIDE, height: PARTIAL_PREVIEW_SIDE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 60 })
    .toBuffer({ resolveWithObject: true })
  return { preview: `data:image/webp;base64,${data.toString('base64')}`, width: info.width, height: info.height }
}

export class PartialPreviews {
  private readonly latest = new Map<string, JobPartialImage>()
  /** The newest partial asked for per job: a slower render of an older one must not replace it. */
  private readonly newest = new Map<string, number>()
  private tickets = 0

  constructor(
    private readonly deps: {
      emit(message: EventMessage): void
      render?: PreviewRenderer
      warn?(message: string): void
    },
  ) {}

  /** Renders the preview off the stream's path and announces it; never throws. */
  receive(jobId: string, imageIndex: number, partial: PartialImage): void {
    const ticket = ++this.tickets
    this.newest.set(jobId, ticket)
    const render = this.deps.render ?? renderPartialPreview
    render(partial.bytes).then(
      (made) => {
        if (this.newest.get(jobId) !== ticket) return // a newer partial came, or the job moved on
        const value: JobPartialImage = { jobId, imageIndex, partialIndex: partial.index, ...made }
        this.latest.set(jobId, value)
        this.deps.emit({ event: 'job.partial', data: value })
      },
      // A partial that does not decode is skipped: only the final image is checked and stored.
      () => this.deps.warn?.(`A partial image of job ${jobId} could not be read; it is not shown.`),
    )
  }

  get(jobId: string): JobPartialImage | null {
    return this.latest.get(jobId) ?? null
  }

  forget(jobId: string): void {
    this.latest.delete(jobId)
    this.newest.delete(jobId)
  }
}
