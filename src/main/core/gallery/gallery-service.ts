import { existsSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import {
  ApiError,
  type EventMessage,
  type GalleryFacets,
  type ImageDetail,
  type ImageView,
  type Output,
  type ParsedInput,
  sizeLabel,
  type TrashInfo,
} from '../../../shared/api'
import type { MediaStore } from '../media/media-store'
import type { ImageFilter } from '../store/image-filter'
import type { ImageListing } from '../store/images-repo'
import type { ImageRecord, JobRecord } from '../store/records'
import type { Store } from '../store/store'
import type { Trash } from './trash'

export interface GalleryServiceDeps {
  store: Store
  media: MediaStore
  trash: Trash
  emit(message: EventMessage): void
}

type ListInput = ParsedInput<'gallery.list'>
type FilterInput = ParsedInput<'gallery.ids'>

/** The contract's filter in the repository's terms. */
export function toImageFilter(input: FilterInput): ImageFilter {
  const [width, height] = input.size ? input.size.split('x').map(Number) : []
  return {
    search: input.search,
    provider: input.provider,
    keyLabel: input.keyLabel,
    size: width !== undefined && height !== undefined ? { width, height } : undefined,
    batchId: input.batchId,
    tag: input.tag,
    favorite: input.favorite,
    from: input.from,
    to: input.to,
  }
}

function notFound(id: string): ApiError {
  return new ApiError('not_found', `No image with id ${id}.`, { field: 'id', fix: 'List the gallery and pick one of its images.' })
}

/**
 * The gallery's reads and edits over the store, and deleting images through the Trash. A row
 * never outlives its file's trip to the trash unnoticed: the row goes first, and comes back if
 * the file cannot be moved, so a failed delete leaves the image exactly as it was.
 */
export class GalleryService {
  constructor(private readonly deps: GalleryServiceDeps) {}

  list(input: ListInput): Output<'gallery.list'> {
    const filter = toImageFilter(input)
    const page = this.deps.store.images.page({ ...filter, limit: input.limit, after: input.after })
    const total = input.after ? null : this.deps.store.images.total(filter)
    return {
      images: this.views(page.images),
      next: page.next,
      ...(total ? { total: total.count, ...(total.approximate ? { approximate: true as const } : {}) } : {}),
    }
  }

  ids(input: FilterInput): string[] {
    return this.deps.store.images.ids(toImageFilter(input))
  }

  facets(): GalleryFacets {
    return { ...this.deps.store.images.facets(), tags: this.deps.store.tags.counts() }
  }

  get(id: string): ImageView {
    const found = this.deps.store.images.listing(id)
    if (!found) throw notFound(id)
    return this.views([found])[0]!
  }

  detail(id: string): ImageDetail {
    const image = this.get(id)
    const job = this.deps.store.jobs.get(image.jobId)
    if (!job) throw new ApiError('internal', `Image ${id} has no job record.`)
    return {
      image,
      path: this.deps.media.absolutePath(image.file),
      job: {
        id: job.id,
        batchId: job.batchId,
        size: job.size,
        estimatedCost: job.estimatedCost,
        chargedCost: job.chargedCost,
        usage: job.usage,
        chargeBasis: job.chargeBasis,
        currency: job.currency,
        references: job.params.refs.length,
        masked: job.params.mask !== undefined,
        baseUrl: job.baseUrl,
      },
      settings: {
        provider: job.provider,
        prompt: job.prompt,
        size: sizeLabel(job.size),
        format: job.params.format,
        quality: job.params.quality,
        background: job.params.background ?? null,
        compression: job.params.compression ?? null,
        n: job.params.n,
        keyId: job.keyId,
        // Left out when the job had none, so a plain job's settings read as before.
        ...(job.params.refs.length > 0 ? { refs: [...job.params.refs] } : {}),
        ...(job.params.mask !== undefined ? { mask: job.params.mask } : {}),
        sizes: this.generationSizes(job),
        inputFidelity: job.params.inputFidelity ?? null,
        moderation: job.params.moderation ?? null,
        partialImages: job.params.partialImages ?? null,
        ...(job.params.template ? { template: job.params.template } : {}),
      },
    }
  }

  /** The sizes of the generation a job belongs to (its batch's jobs of the same row), in the order asked, each once. */
  private generationSizes(job: JobRecord): string[] {
    const jobs = job.batchId === null ? [job] : this.deps.store.jobs.inBatch(job.batchId).filter((j) => j.batchRow === job.batchRow)
    return [...new Set(jobs.map((j) => sizeLabel(j.size)))]
  }

  favorite(id: string, favorite: boolean): ImageView {
    this.record(id)
    this.deps.store.images.setFavorite(id, favorite)
    return this.get(id)
  }

  favoriteMany(ids: readonly string[], favorite: boolean): number {
    return this.deps.store.images.setFavoriteMany(ids, favorite)
  }

  tag(ids: readonly string[], add: readonly string[], remove: readonly string[]): Output<'gallery.tag'> {
    return this.deps.store.transaction(() => {
      this.deps.store.tags.remove(ids, remove)
      return { added: this.deps.store.tags.add(ids, add), removed: [...remove] }
    })
  }

  trashInfo(): TrashInfo {
    return this.deps.trash.info
  }

  /** One image at a time, so a failure part-way names the images it could not move. */
  async delete(ids: readonly string[]): Promise<Output<'gallery.delete'>> {
    const deleted: string[] = []
    const failed: { id: string; message: string }[] = []
    for (const id of new Set(ids)) {
      try {
        if (await this.deleteOne(id)) deleted.push(id)
        else failed.push({ id, message: `No image with id ${id}; it may have been deleted already.` })
      } catch (err) {
        failed.push({ id, message: `Could not move ${id} to ${this.deps.trash.info.description}: ${(err as Error).message}` })
      }
    }
    if (deleted.length > 0) this.deps.emit({ event: 'gallery.changed', data: { added: [], removed: deleted } })
    return { deleted, failed, trash: this.deps.trash.info }
  }

  private async deleteOne(id: string): Promise<boolean> {
    const { store, media, trash } = this.deps
    const image = store.images.get(id)
    if (!image) return false
    const tags = store.tags.forImages([id]).get(id) ?? []
    if (!store.images.delete(id)) return false
    const file = media.absolutePath(image.file)
    try {
      // A file already gone from disk leaves only the row, which is deleted now.
      if (existsSync(file)) await trash.moveToTrash(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        store.transaction(() => {
          store.images.insert(image)
          store.tags.add([id], tags)
        })
        throw err
      }
    }
    // The thumbnail is ours, not the user's: it is removed, not trashed. A leftover is swept.
    await unlink(media.absolutePath(image.thumb)).catch(() => undefined)
    return true
  }

  private record(id: string): ImageRecord {
    const found = this.deps.store.images.get(id)
    if (!found) throw notFound(id)
    return found
  }

  private views(records: ImageListing[]): ImageView[] {
    const tags = this.deps.store.tags.forImages(records.map((r) => r.id))
    return records.map((i) => ({
      id: i.id,
      jobId: i.jobId,
      file: i.file,
      thumb: i.thumb,
      format: i.format,
      width: i.width,
      height: i.height,
      bytes: i.bytes,
      sha256: i.sha256,
      prompt: i.prompt,
      revisedPrompt: i.revisedPrompt,
      provider: i.provider,
      keyLabel: i.keyLabel,
      favorite: i.favorite,
      createdAt: i.createdAt,
      tags: tags.get(i.id) ?? [],
      sku: i.sku,
      groupId: i.groupId,
      jobCost: i.jobCost,
      rerunOf: i.rerunOf,
    }))
  }
}
