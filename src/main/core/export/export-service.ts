import { createHash, randomUUID } from 'node:crypto'
import { toImageFilter } from '../gallery/gallery-service'
import { lstat, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { basename, join } from 'node:path'
import {
  ApiError,
  badInput,
  roundMoney,
  type EventMessage,
  type ExportPreview,
  type ExportState,
  type NamingField,
  type ParsedExportOutput,
  type ParsedExportRequest,
} from '../../../shared/api'
import type { Clock } from '../clock'
import { ensureDirectory, sweepStaleTempFiles, syncDirectory, tempNameFor, writeFileAtomic } from '../files/atomic-write'
import { extensionFor } from '../media/image-probe'
import { DEFAULT_SWEEP_MIN_AGE_MS } from '../media/media-store'
import type { Calendar } from '../spend/calendar'
import type { ImageRecord, JobRecord } from '../store/records'
import type { Store } from '../store/store'
import { encodeOutput, plannedShape, type EncodedFile, type SourceImage } from './convert'
import { checkExportFolder, folderProblem, resolveExportFolder } from './export-folder'
import { manifestText, type ManifestRow } from './manifest'
import { fillNaming, NameAllocator, parseNaming, promptSlug, type NamingTemplate, type NamingValues } from './naming'
import { ZipWriter } from './zip-writer'

/**
 * Runs exports: one at a time per request, in the background, with progress pushed as
 * `export.progress` and a cancel that stops before the next file. Every file is written under a
 * temp name in the target folder and renamed when complete, so a cancel, crash or full disk never
 * leaves a half-written file under a final name. Existing files are never overwritten.
 */

/** Product fields of an image, from wherever they are recorded. */
export interface ImageMetadata {
  sku?: string
  name?: string
}

/**
 * Where {sku} and {name} come from. A job made from a CSV batch row records its SKU; product
 * names are not recorded per job, so {name} is empty unless an engine option supplies a lookup.
 * Empty fields drop the separators around them from file names.
 */
export interface ImageMetadataSource {
  lookup(image: ImageRecord, job: JobRecord | undefined): ImageMetadata
}

export const noImageMetadata: ImageMetadataSource = { lookup: () => ({}) }

/** The default: the SKU of the batch row the image's job came from. */
export const batchRowMetadata: ImageMetadataSource = { lookup: (_image, job) => (job?.sku ? { sku: job.sku } : {}) }

export type EncodeStep = (source: SourceImage, output: ParsedExportOutput, signal: AbortSignal) => Promise<EncodedFile>

export interface ExportDeps {
  home: string
  store: Store
  clock: Clock
  calendar: Calendar
  emit(message: EventMessage): void
  metadata?: ImageMetadataSource
  /** Replaceable for tests that need a slow step to cancel in the middle of. */
  encode?: EncodeStep
}

const PAGE = 500
const KEEP_FINISHED = 20
const PROGRESS_EVERY_MS = 100

interface Running {
  state: ExportState
  controller: AbortController
  done: Promise<void>
}

interface Planned {
  folder: string
  template: NamingTemplate
  images: ImageRecord[]
}

export class ExportService {
  private readonly exports = new Map<string, Running>()
  private readonly metadata: ImageMetadataSource
  private readonly encode: EncodeStep

  constructor(private readonly deps: ExportDeps) {
    this.metadata = deps.metadata ?? noImageMetadata
    this.encode = deps.encode ?? ((source, output) => encodeOutput(source, output))
  }

  /** Checks everything a person can get wrong, then starts and returns at once. */
  async start(request: ParsedExportRequest): Promise<ExportState> {
    const plan = await this.plan(request)
    await ensureDirectory(plan.folder).catch((err: NodeJS.ErrnoException) => {
      throw badInput('folder', `Cannot create ${plan.folder}: ${err.code ?? err.message}.`, 'Choose a folder you can write to.')
    })
    // An export killed earlier (a closed app, a killed CLI) left its temp files here: ours only,
    // and only a dead writer's or old ones, since another export may be writing here right now.
    await sweepStaleTempFiles(plan.folder, { minAgeMs: DEFAULT_SWEEP_MIN_AGE_MS }).catch(() => undefined)
    const state: ExportState = {
      id: `export_${randomUUID()}`,
      status: 'running',
      folder: plan.folder,
      images: plan.images.length,
      imagesDone: 0,
      files: 0,
      bytes: 0,
      current: null,
      manifest: null,
      zip: null,
      error: null,
      startedAt: this.deps.clock.now(),
      finishedAt: null,
    }
    const controller = new AbortController()
    const running: Running = { state, controller, done: Promise.resolve() }
    this.exports.set(state.id, running)
    this.forgetOld()
    running.done = this.run(running, request, plan)
    this.publish(running)
    return { ...state }
  }

  status(id: string): ExportState {
    return { ...this.get(id).state }
  }

  /** Stops before the next file; files already complete stay, with a manifest listing them. */
  cancel(id: string): ExportState {
    const running = this.get(id)
    running.controller.abort()
    return { ...running.state }
  }

  /** Resolves when the export has finished, whatever its outcome. */
  async wait(id: string): Promise<ExportState> {
    const running = this.get(id)
    await running.done
    return { ...running.state }
  }

  async preview(request: ParsedExportRequest): Promise<ExportPreview> {
    const template = parseNaming(request.naming)
    const folder = request.folder === '' ? '' : resolveExportFolder(request.folder)
    const images = this.select(request)
    const problem = folder === '' ? 'Choose a folder to export to.' : await folderProblem(folder, this.deps.home)
    const names = new NameAllocator(problem ? [] : await existingNames(folder))
    const examples: string[] = []
    const jobs = new JobCache(this.deps.store)
    for (const [index, image] of images.slice(0, 2).entries()) {
      for (const output of request.outputs) {
        const shape = plannedShape(sourceOf(this.deps.home, image), output)
        examples.push(names.allocate(fillNaming(template, this.values(image, jobs.get(image.jobId), output, shape, index, images.length))))
        if (examples.length >= 3) break
      }
      if (examples.length >= 3) break
    }
    return { images: images.length, files: images.length * request.outputs.length, examples, folderProblem: problem, folder }
  }

  /** Cancels running exports and waits for them (engine shutdown). */
  async shutdown(): Promise<void> {
    for (const running of this.exports.values()) running.controller.abort()
    await Promise.all([...this.exports.values()].map((r) => r.done))
  }

  private get(id: string): Running {
    const running = this.exports.get(id)
    if (!running) throw new ApiError('not_found', `No export with id ${id}.`, { field: 'id', fix: 'Use the id that exports.start returned.' })
    return running
  }

  private async plan(request: ParsedExportRequest): Promise<Planned> {
    const template = parseNaming(request.naming)
    const folder = await checkExportFolder(request.folder, this.deps.home)
    const images = this.select(request)
    if (images.length === 0) {
      throw badInput('selection', 'Nothing to export: the selection has no images.', 'Pick images, a search with results, or a batch that has finished images.')
    }
    return { folder, template, images }
  }

  /** The images a selection names, in export order (gallery order; a batch in row order). */
  private select(request: ParsedExportRequest): ImageRecord[] {
    const selection = request.selection
    const store = this.deps.store
    if (selection.kind === 'batch') {
      const jobs = store.jobs.inBatch(selection.batchId)
      if (jobs.length === 0) {
        throw badInput('selection.batchId', `No batch with id ${selection.batchId}.`, { code: 'known_id', of: 'batch' })
      }
      return jobs.flatMap((job) => store.images.forJob(job.id))
    }
    if (selection.kind === 'ids') {
      const seen = new Set<string>()
      const images: ImageRecord[] = []
      for (const id of selection.ids) {
        if (seen.has(id)) continue
        seen.add(id)
        const image = store.images.get(id)
        if (!image) throw badInput('selection.ids', `No image with id ${id}.`, 'Select images that are still in the gallery.')
        images.push(image)
      }
      return images
    }
    const filter = selection.kind === 'filter' ? toImageFilter(selection.filter) : {}
    const images: ImageRecord[] = []
    let after: { createdAt: number; id: string } | undefined
    for (;;) {
      const page = store.images.page({ ...filter, limit: PAGE, after })
      images.push(...page.images)
      if (!page.next) return images
      after = page.next
    }
  }

  private values(
    image: ImageRecord,
    job: JobRecord | undefined,
    output: ParsedExportOutput,
    shape: { format: ImageRecord['format']; width: number; height: number },
    index: number,
    total: number,
  ): NamingValues {
    const meta = this.metadata.lookup(image, job)
    const values: Record<NamingField, string> = {
      sku: meta.sku ?? '',
      name: meta.name ?? '',
      size: `${shape.width}x${shape.height}`,
      source_size: `${image.width}x${image.height}`,
      width: String(shape.width),
      height: String(shape.height),
      index: String(index + 1).padStart(Math.max(3, String(total).length), '0'),
      provider: image.provider,
      date: this.deps.calendar.dayOf(image.createdAt),
      prompt_slug: promptSlug(image.prompt),
      output: output.label ?? '',
      ext: extensionFor(shape.format),
    }
    return values
  }

  private async run(running: Running, request: ParsedExportRequest, plan: Planned): Promise<void> {
    const { state, controller } = running
    const signal = controller.signal
    const rows: ManifestRow[] = []
    const jobs = new JobCache(this.deps.store)
    try {
      const names = new NameAllocator(await existingNames(plan.folder))
      for (const [index, image] of plan.images.entries()) {
        if (signal.aborted) break
        const job = jobs.get(image.jobId)
        const source = sourceOf(this.deps.home, image)
        const meta = this.metadata.lookup(image, job)
        for (const output of request.outputs) {
          const encoded = await this.encode(source, output, signal).catch((err: Error) => {
            if (signal.aborted) return null
            throw new Error(`Image ${image.id} (${image.file}) could not be converted: ${err.message}`)
          })
          // A cancel while this file was being made: it is not written at all.
          if (!encoded || signal.aborted) break
          const wanted = fillNaming(plan.template, this.values(image, job, output, encoded, index, plan.images.length))
          const name = await this.writeNew(plan.folder, names, wanted, encoded.data)
          const cost = jobs.costShare(job, image.jobId)
          rows.push({
            file: name,
            sku: meta.sku ?? '',
            name: meta.name ?? '',
            output: output.label ?? '',
            prompt: image.prompt,
            revisedPrompt: image.revisedPrompt,
            provider: image.provider,
            keyLabel: image.keyLabel,
            width: encoded.width,
            height: encoded.height,
            format: encoded.format,
            bytes: encoded.data.length,
            sha256: createHash('sha256').update(encoded.data).digest('hex'),
            estimatedCost: cost.estimated,
            chargedCost: cost.charged,
            currency: job?.currency ?? 'USD',
            sourceImageId: image.id,
            jobId: image.jobId,
            batchId: job?.batchId ?? null,
            createdAt: new Date(image.createdAt).toISOString(),
          })
          state.files++
          state.bytes += encoded.data.length
          state.current = name
          this.publish(running, true)
        }
        if (!signal.aborted) state.imagesDone++
        this.publish(running, true)
      }
      if (request.manifest && rows.length > 0) {
        const text = manifestText(request.manifest, rows, {
          exportedAt: new Date(this.deps.clock.now()).toISOString(),
          selection: request.selection,
        })
        state.manifest = await this.writeNew(plan.folder, names, `manifest.${request.manifest}`, text)
      }
      if (request.zip && !signal.aborted && rows.length > 0) {
        const files = [...rows.map((r) => r.file), ...(state.manifest ? [state.manifest] : [])]
        state.zip = await this.writeZip(plan.folder, names, files)
      }
      state.status = signal.aborted ? 'canceled' : 'done'
    } catch (err) {
      state.status = 'failed'
      state.error = err instanceof ApiError || err instanceof Error ? err.message : String(err)
    } finally {
      state.finishedAt = this.deps.clock.now()
      this.publish(running)
    }
  }

  /** Writes under a free name; a file that appeared since the folder was read is never replaced. */
  private async writeNew(folder: string, names: NameAllocator, wanted: string, data: Uint8Array | string): Promise<string> {
    for (;;) {
      const name = names.allocate(wanted)
      const taken = await lstat(join(folder, name)).then(
        () => true,
        () => false,
      )
      if (taken) continue
      await writeFileAtomic(join(folder, name), data)
      return name
    }
  }

  /** The files of this export (not whatever else is in the folder) in a store-only ZIP. */
  private async writeZip(folder: string, names: NameAllocator, files: string[]): Promise<string> {
    const wanted = `${basename(folder) || 'export'}.zip`
    let name = names.allocate(wanted)
    while (await lstat(join(folder, name)).then(() => true, () => false)) name = names.allocate(wanted)
    const temp = join(folder, tempNameFor(name))
    const handle = await open(temp, 'wx', 0o644)
    try {
      const zip = new ZipWriter(handle)
      for (const file of files) await zip.add(file, await readFile(join(folder, file)), new Date(this.deps.clock.now()))
      await zip.finish()
      await handle.sync()
      await handle.close()
      await rename(temp, join(folder, name))
    } catch (err) {
      await handle.close().catch(() => undefined)
      await unlink(temp).catch(() => undefined)
      throw err
    }
    await syncDirectory(folder)
    return name
  }

  private lastPublished = new Map<string, number>()

  private publish(running: Running, throttled = false): void {
    const now = this.deps.clock.now()
    const last = this.lastPublished.get(running.state.id) ?? -Infinity
    if (throttled && now - last < PROGRESS_EVERY_MS) return
    this.lastPublished.set(running.state.id, now)
    this.deps.emit({ event: 'export.progress', data: { ...running.state } })
  }

  private forgetOld(): void {
    const finished = [...this.exports.values()].filter((r) => r.state.status !== 'running')
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.exports.delete(old.state.id)
      this.lastPublished.delete(old.state.id)
    }
  }
}

function sourceOf(home: string, image: ImageRecord): SourceImage {
  return { path: join(home, image.file), format: image.format, width: image.width, height: image.height }
}

async function existingNames(folder: string): Promise<string[]> {
  return readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []
    throw err
  })
}

/** Jobs by id, and each image's share of its job's cost (a job may make several images). */
class JobCache {
  private readonly jobs = new Map<string, JobRecord | undefined>()
  private readonly counts = new Map<string, number>()

  constructor(private readonly store: Store) {}

  get(id: string): JobRecord | undefined {
    if (!this.jobs.has(id)) this.jobs.set(id, this.store.jobs.get(id))
    return this.jobs.get(id)
  }

  costShare(job: JobRecord | undefined, jobId: string): { estimated: number | null; charged: number | null } {
    if (!job) return { estimated: null, charged: null }
    let count = this.counts.get(jobId)
    if (count === undefined) {
      count = Math.max(1, this.store.images.forJob(jobId).length)
      this.counts.set(jobId, count)
    }
    const share = (amount: number | null) => (amount === null ? null : roundMoney(amount / count))
    return { estimated: share(job.estimatedCost), charged: share(job.chargedCost) }
  }
}
