import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
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
import { CopyWorkers } from '../files/copy-workers'
import { commitStaged, discardStaged, ExportCopier, freeName, stageFile, type StagedFile } from './staged-writes'
import { ZipWriter } from './zip-writer'
import { Slots } from '../queue/slots'

/**
 * Runs exports: in the background, with progress pushed as `export.progress` and a cancel that
 * stops before the next file. Several files are made at once but made final in export order.
 * Every file is written under a temp name in the target folder and renamed once it is on disk,
 * so a cancel, crash or full disk never leaves a half-written file under a final name. Existing
 * files are never overwritten.
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
  /** Conversions (sharp) running at once; default: the cores Node may use (os.availableParallelism). */
  conversionsAtOnce?: number
}

const PAGE = 500
/**
 * Files in flight at once (encoded and waiting, or being copied, written, hashed). A copy waits on
 * the disk and the thread pool, so a few keep both busy; more only hold more memory.
 */
const FILES_AT_ONCE = 8
/** Threads copying and hashing files for the manifest (about 1 GB/s each): two keep two cores busy. */
export const COPY_THREADS = 2
/** Files are made final (fsynced, renamed, one folder fsync) in batches this large, or this old. */
const BATCH_FILES = 64
const BATCH_BYTES = 256 * 2 ** 20
const BATCH_MS = 1000
const KEEP_FINISHED = 20
const PROGRESS_EVERY_MS = 100

interface Running {
  state: ExportState
  controller: AbortController
  done: Promise<void>
}

interface FileTask {
  index: number
  image: ImageRecord
  output: ParsedExportOutput
  /** Its image counts as done once this file is final. */
  lastOfImage: boolean
}

/** A file written under its temp name, not yet final. */
interface MadeFile {
  task: FileTask
  wanted: string
  staged: StagedFile
  format: EncodedFile['format']
  width: number
  height: number
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
  private readonly conversionsAtOnce: number

  constructor(private readonly deps: ExportDeps) {
    this.metadata = deps.metadata ?? noImageMetadata
    this.encode = deps.encode ?? ((source, output) => encodeOutput(source, output))
    // One conversion is mostly single-threaded work (decode, resize, encode), so one per core
    // keeps them all busy; more would only hold more decoded pixels in memory at once.
    this.conversionsAtOnce = Math.max(1, Math.floor(deps.conversionsAtOnce ?? availableParallelism()))
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
      await this.writeFiles(running, request, plan, names, jobs, rows)
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

  /**
   * Every image x output, made a few at a time (the pool) and made final strictly in export
   * order: names are allocated, files renamed, rows added and progress counted in that order, so
   * names, the manifest and what a cancel keeps are those of a one-at-a-time export. A cancel or
   * a failure keeps the complete files before the first one missing and removes every temp file
   * of the rest, written or still being written.
   */
  private async writeFiles(running: Running, request: ParsedExportRequest, plan: Planned, names: NameAllocator, jobs: JobCache, rows: ManifestRow[]): Promise<void> {
    const { state, controller } = running
    const signal = controller.signal
    const tasks: FileTask[] = plan.images.flatMap((image, index) =>
      request.outputs.map((output, o) => ({ index, image, output, lastOfImage: o === request.outputs.length - 1 })),
    )
    const inFlight = new Map<number, Promise<MadeFile | null>>()
    // Places for conversions, granted in arrival order: files are launched in export order, so
    // conversions start in export order too, however they finish.
    const conversions = new Slots(this.conversionsAtOnce)
    // Made at the first copy: an export of conversions only has its bytes in memory to hash.
    let workers: CopyWorkers | undefined
    const copier = new ExportCopier(() => (workers ??= new CopyWorkers(COPY_THREADS)))
    let launched = 0
    let batch: MadeFile[] = []
    let batchBytes = 0
    let lastCommit = this.deps.clock.now()
    // One batch is made final (fsynced, renamed) while the next one is being written.
    let committing: Promise<void> = Promise.resolve()
    const commit = async (): Promise<void> => {
      const files = batch
      batch = []
      batchBytes = 0
      lastCommit = this.deps.clock.now()
      try {
        await committing
      } catch (err) {
        await discardStaged(files.map((m) => m.staged))
        throw err
      }
      if (files.length === 0) return
      committing = commitStaged(plan.folder, names, files, (i, name) => {
        const made = files[i]!
        rows.push(this.manifestRow(made, name, jobs))
        state.files++
        state.bytes += made.staged.bytes
        state.current = name
        if (made.task.lastOfImage) state.imagesDone++
        this.publish(running, true)
      })
      committing.catch(() => undefined) // awaited by the next commit or at the end
    }
    let failure: unknown
    try {
      for (let seq = 0; seq < tasks.length; seq++) {
        while (launched < tasks.length && launched < seq + FILES_AT_ONCE && !signal.aborted) {
          const made = this.makeFile(tasks[launched]!, plan, jobs, signal, conversions, copier)
          made.catch(() => undefined) // awaited in order below, or in the clean-up
          inFlight.set(launched++, made)
        }
        const made = await inFlight.get(seq)
        inFlight.delete(seq)
        // A cancel while this file was being made: it is not made final, nor is anything after it.
        if (!made) break
        batch.push(made)
        batchBytes += made.staged.bytes
        const due = batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES || this.deps.clock.now() - lastCommit >= BATCH_MS
        if (due) await commit()
      }
    } catch (err) {
      failure = err
    }
    try {
      // What was complete before a cancel or a failure stays, as it did when each file was final at once.
      await commit()
      await committing
    } catch (err) {
      failure ??= err
    } finally {
      await discardStaged(batch.map((m) => m.staged))
      const left = await Promise.allSettled(inFlight.values())
      await discardStaged(left.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value.staged] : [])))
      await workers?.close()
    }
    if (failure !== undefined) throw failure
  }

  /**
   * One output of one image, converted or copied, under a temp name in the folder; null after a
   * cancel. Conversions run several at once, one per place in `conversions` (one per core by
   * default): sharp works on a file's pixels mostly on one thread, so side by side they use every
   * core. A cancel lets no conversion start after it; one that ends after it is dropped. What a
   * cancel keeps is decided in export order by writeFiles: the files before the first one that
   * came back null, so a file converted early behind one still running is not kept either.
   */
  private async makeFile(task: FileTask, plan: Planned, jobs: JobCache, signal: AbortSignal, conversions: Slots, copier: ExportCopier): Promise<MadeFile | null> {
    const { image, output, index } = task
    const release = await conversions.acquire()
    let encoded: EncodedFile | null
    try {
      if (signal.aborted) return null
      encoded = await this.encode(sourceOf(this.deps.home, image), output, signal).catch((err: Error) => {
        if (signal.aborted) return null
        throw new Error(`Image ${image.id} (${image.file}) could not be converted: ${err.message}`)
      })
      // A cancel while this file was being made: it is not written at all.
      if (signal.aborted) return null
    } finally {
      release()
    }
    if (!encoded) return null
    const wanted = fillNaming(plan.template, this.values(image, jobs.get(image.jobId), output, encoded, index, plan.images.length))
    const staged = await stageFile(plan.folder, wanted, encoded, copier)
    return { task, wanted, staged, format: encoded.format, width: encoded.width, height: encoded.height }
  }

  private manifestRow(made: MadeFile, file: string, jobs: JobCache): ManifestRow {
    const { image, output } = made.task
    const job = jobs.get(image.jobId)
    const meta = this.metadata.lookup(image, job)
    const cost = jobs.costShare(job, image.jobId)
    return {
      file,
      sku: meta.sku ?? '',
      name: meta.name ?? '',
      output: output.label ?? '',
      prompt: image.prompt,
      revisedPrompt: image.revisedPrompt,
      provider: image.provider,
      keyLabel: image.keyLabel,
      width: made.width,
      height: made.height,
      format: made.format,
      bytes: made.staged.bytes,
      sha256: made.staged.sha256,
      estimatedCost: cost.estimated,
      chargedCost: cost.charged,
      currency: job?.currency ?? 'USD',
      sourceImageId: image.id,
      jobId: image.jobId,
      batchId: job?.batchId ?? null,
      createdAt: new Date(image.createdAt).toISOString(),
    }
  }

  /** Writes under a free name; a file that appeared since the folder was read is never replaced. */
  private async writeNew(folder: string, names: NameAllocator, wanted: string, data: Uint8Array | string): Promise<string> {
    const name = await freeName(folder, names, wanted)
    await writeFileAtomic(join(folder, name), data)
    return name
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
