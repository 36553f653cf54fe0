/**
 * Runs one claimed job, from its request to its stored images and their charge: finds the key for
 * the base URL the call goes to, makes the provider calls, writes each reply's images and records
 * them with what they cost, and records a failure as the retry rules say. It does not pick jobs or
 * decide when they start (that is the scheduler, job-queue.ts); a caller hands it a claimed job and
 * a lease (the signal that cancels it, and the provider slot it may give back early).
 */
import { randomUUID } from 'node:crypto'
import type { OutputFormat } from '../../../shared/api'
import type { Clock } from '../clock'
import type { DialectCall, GeneratedImage, PartialImage } from '../providers/dialect'
import { ProviderError } from '../providers/provider-error'
import type { ProviderProfile } from '../providers/profile'
import type { ProviderRegistry, RegisteredProvider } from '../providers/registry'
import { chargeForCall } from '../pricing/call-charge'
import { priceOf } from '../pricing/estimate'
import { redactSecret } from '../secrets/redact-secret'
import type { StorageProblem } from '../files/storage-check'
import type { JobsRepo } from '../store/jobs-repo'
import { SENT_WITHOUT_TASK } from '../store/remote-tasks'
import type { CallCharge, ImageRecord, JobRecord } from '../store/records'
import type { Store } from '../store/store'
import { classifyError } from './classify-error'
import { failedTaskMessage } from './failed-task'
import type { RateLimiter } from './rate-limiter'
import { isRetryable, retryDelayMs, TASK_RESUBMITS_PER_JOB, type RetryPolicy } from './retry-policy'
import type { Slots } from './slots'
import type { ImageBuffers } from './image-buffers'
import { storageFailureMessage, type StorageFailurePoint } from './storage-failure-message'
import type { StorageGuard } from './storage-guard'

/**
 * Where image bytes go: the media store in the app, anything with the same shape in tests. The
 * bytes are lent: once writeImage has settled the queue reuses their memory for another reply, so
 * a sink that keeps them must copy them, and writeImage must not settle while its own work still
 * reads them.
 */
export interface ImageSink {
  writeImage(input: {
    id: string
    bytes: Uint8Array
    expectedFormat?: OutputFormat
    createdAt: number
  }): Promise<{ file: string; thumb: string; format: OutputFormat; width: number; height: number; bytes: number; sha256: string }>
  removeImage(rel: { file: string; thumb: string }): Promise<void>
}

/** Where streamed partial images go (see media/partial-previews.ts). */
export interface PartialImageSink {
  receive(jobId: string, imageIndex: number, partial: PartialImage): void
  forget(jobId: string): void
}

/**
 * Finds the secret for a job when it runs (keychain id or environment variable name), for the base
 * URL the call is about to go to: a stored key is refused for any host but its own, even for a job
 * queued before that rule existed (it throws a ProviderError then).
 */
export type SecretResolver = (job: JobRecord, baseUrl: string) => Promise<string | null>

/** What the runner tells the doors about; the scheduler words these as events. */
export interface RunAnnouncements {
  jobChanged(id: string): void
  imagesAdded(ids: readonly string[]): void
}

export interface JobRunnerDeps {
  store: {
    jobs: Pick<
      JobsRepo,
      'get' | 'imageCount' | 'savedSeqs' | 'remoteTasks' | 'setRemoteTask' | 'setCallTask' | 'dropSentWithoutTask' | 'recordImages' | 'succeed' | 'fail' | 'retryLater' | 'taskFailed'
    >
    transaction: Store['transaction']
  }
  providers: Pick<ProviderRegistry, 'get'>
  media: ImageSink
  resolveSecret: SecretResolver
  clock: Clock
  fetch: typeof fetch
  /** Shared by every job of the queue: call starts per minute and Retry-After holds per profile. */
  limiter: RateLimiter
  /** Shared by every job of the queue: decoded images being stored at once. */
  storeSlots: Slots
  /** Shared by every job of the queue: lent to each call's reply reader, taken back once its images are stored. */
  imageBuffers: ImageBuffers
  storage: Pick<StorageGuard, 'pause' | 'problemIn' | 'asFailure' | 'unlessStorageFails'>
  retry: RetryPolicy
  random?: () => number
  /** Absent: streamed partial images are dropped. */
  partials?: PartialImageSink
  announce: RunAnnouncements
}

/** What the scheduler lends a job while it runs. */
export interface JobLease {
  /** Aborted on cancel or shutdown; the row already says which. */
  signal: AbortSignal
  /** Gives the job's place under its provider's concurrency back (idempotent). */
  releaseProviderSlot(): void
  /**
   * One more place under the provider's concurrency for another split call of this job, with the
   * function that gives it back (idempotent); null when the provider has none free. Absent: the
   * calls of a job run one at a time.
   */
  borrowProviderSlot?(): (() => void) | null
}

/** One job being run: what every call of it shares. */
interface JobRun {
  job: JobRecord
  registered: RegisteredProvider
  /** Resolved once, and the same value both checks the key's host and is called. */
  baseUrl: string
  secret: string | null
  lease: JobLease
  /** Several calls, which may overlap: each keeps its own task id, or its sent mark (store/remote-tasks.ts). */
  fanOut: boolean
}

/** One provider call of a job: which of its images it asks for. */
export interface CallPlan {
  count: number
  firstIndex: number
  /** A task this call had submitted before (a restart): polled, never submitted again. */
  resumeTaskId: string | null
}

/** The code the async-task dialect gives a task that failed upstream (see providers/async-task.ts). */
const FAILED_TASK_CODE = 'task_failed'

export class JobRunner {
  constructor(private readonly deps: JobRunnerDeps) {}

  /**
   * Runs one claimed job to its end (succeeded, failed, retry later) or until its lease is aborted.
   * Never rejects for the job's own failures: they are recorded on its row.
   */
  async run(id: string, lease: JobLease): Promise<void> {
    const { store, providers, clock } = this.deps
    const job = store.jobs.get(id)
    if (!job) return
    this.deps.announce.jobChanged(id)
    let secret: string | null = null
    // How far the call in progress got; read when storing its images fails. A fan-out of split
    // calls gives each call its own.
    const progress: { point: StorageFailurePoint } = { point: { stage: 'not_sent' } }
    try {
      const registered = providers.get(job.provider)
      const baseUrl = job.baseUrl ?? registered.profile.baseUrl
      secret = registered.profile.auth === 'none' ? null : await this.deps.resolveSecret(job, baseUrl)
      // A call marked sent without a task id belongs to an earlier run, which ended (a failure, or
      // a restart the recovery rules let through): this run decides afresh what to send.
      store.jobs.dropSentWithoutTask(id, clock.now())
      const plans = planCalls(job.params.n, store.jobs.savedSeqs(id), store.jobs.remoteTasks(id), imagesPerCall(job, registered.profile))
      const run: JobRun = { job, registered, baseUrl, secret, lease, fanOut: plans.length > 1 && !streamsPartials(job, registered.profile) }
      progress.point = plans[0]?.resumeTaskId ? { stage: 'sent' } : { stage: 'not_sent' }
      if (!(await this.runCalls(run, plans, progress))) return
      store.jobs.succeed(id, clock.now())
    } catch (err) {
      if (lease.signal.aborted) return // canceled (row already says so) or shutting down
      const problem = this.deps.storage.problemIn(err)
      if (problem) this.failForStorage(job, problem, progress.point)
      else this.recordFailure(job, withoutSecret(classifyError(err), secret))
    } finally {
      this.deps.partials?.forget(id)
      // After a storage failure the row may not be readable-then-writable; an event is not worth a crash.
      this.deps.storage.unlessStorageFails(() => this.deps.announce.jobChanged(id))
    }
  }

  /**
   * The calls of a job, as many at once as the provider has places for (the job's own, then any it
   * can borrow): a split job then takes about as long as one call instead of one call per image.
   * Each call saves its images as it lands, under its own seqs, so a crash loses only the calls in
   * flight (paid, perhaps, and marked sent on the row, so recovery says so). After a failure or a
   * cancel no further call starts, but those in flight are waited for (they are paid for; their
   * images are kept unless canceled), and then the first failure is thrown with how far its call
   * got. False when the job was canceled.
   */
  private async runCalls(run: JobRun, plans: readonly CallPlan[], progress: { point: StorageFailurePoint }): Promise<boolean> {
    const waiting = [...plans]
    let failure: { err: unknown; point: StorageFailurePoint } | null = null
    let canceled = false
    const worker = async (releaseSlot: () => void): Promise<void> => {
      try {
        const stopped = (): boolean => failure !== null || canceled || run.lease.signal.aborted
        for (let plan = stopped() ? undefined : waiting.shift(); plan; plan = stopped() ? undefined : waiting.shift()) {
          const own: { point: StorageFailurePoint } = { point: plan.resumeTaskId ? { stage: 'sent' } : { stage: 'not_sent' } }
          // Once the last reply this place waits for is read, the place goes back: storing the
          // images is our own work, and the next job's request can leave meanwhile.
          // A reply with fewer images than asked leaves the rest of its seqs to a call of its own.
          const replied = (got: number): void => {
            if (got < plan.count) waiting.unshift({ count: plan.count - got, firstIndex: plan.firstIndex + got, resumeTaskId: null })
            if (waiting.length === 0) releaseSlot()
          }
          try {
            const stored = await this.runCall(run, plan, own, replied)
            if (stored) this.deps.announce.jobChanged(run.job.id)
            else canceled = true
          } catch (err) {
            failure ??= { err, point: own.point }
          }
        }
      } finally {
        releaseSlot()
      }
    }
    const workers = [worker(() => run.lease.releaseProviderSlot())]
    for (let i = 1; run.fanOut && i < plans.length; i++) {
      const release = run.lease.borrowProviderSlot?.() ?? null
      if (!release) break
      workers.push(worker(release))
    }
    await Promise.all(workers)
    if (failure) {
      const { err, point } = failure
      progress.point = point
      throw err
    }
    return !canceled
  }

  /**
   * One provider call: sent, answered, its images written and recorded with their charge. Returns
   * the stored images, or null when the job was canceled meanwhile (nothing of this call is kept).
   */
  private async runCall(
    run: JobRun,
    plan: CallPlan,
    progress: { point: StorageFailurePoint },
    replied: (images: number) => void,
  ): Promise<ImageRecord[] | null> {
    const { store, clock, limiter } = this.deps
    const { job, registered, lease } = run
    const { profile, adapter } = registered
    const call: DialectCall = {
      jobId: job.id,
      profile,
      baseUrl: run.baseUrl,
      secret: run.secret,
      params: job.params,
      size: job.size,
      count: plan.count,
      firstIndex: plan.firstIndex,
      signal: lease.signal,
      clock,
      fetch: this.deps.fetch,
      onTaskId: (t: string) => {
        if (run.fanOut) store.jobs.setCallTask(job.id, plan.firstIndex, t, clock.now())
        else store.jobs.setRemoteTask(job.id, t, clock.now())
        // The row now says "polling the provider".
        this.deps.announce.jobChanged(job.id)
      },
      backoff: {
        wait: () => limiter.whenClear(profile.id, lease.signal),
        hold: (ms: number) => limiter.holdUntil(profile.id, clock.now() + ms),
      },
      onPartialImage: (partial: PartialImage) => this.deps.partials?.receive(job.id, plan.firstIndex, partial),
      imageBuffers: this.deps.imageBuffers,
    }
    await limiter.acquire(profile.id, profile.requestsPerMinute, lease.signal)
    // A cancel that came while this call waited for its turn: it is never sent.
    if (lease.signal.aborted) return null
    const resuming = plan.resumeTaskId !== null && adapter.resume !== undefined
    // With several calls in flight, a restart must tell a call that may have been paid for from
    // one never sent: the mark is written before the request leaves, the task id replaces it.
    if (run.fanOut && !resuming) store.jobs.setCallTask(job.id, plan.firstIndex, SENT_WITHOUT_TASK, clock.now())
    progress.point = { stage: 'sent' }
    const result = resuming ? await adapter.resume!(call, plan.resumeTaskId!) : await adapter.generate(call)
    if (result.images.length === 0) {
      throw new ProviderError('provider_down', 'The provider answered but returned no image.', { code: 'no_image' })
    }
    // The provider's own figure wins; then its token usage at the model's prices; else the
    // table price; null when none is known.
    const charge = chargeForCall(profile, job.size, result)
    progress.point = { stage: 'answered', images: result.images.length, charged: charge.amount, currency: job.currency, charge }
    // Storing is our own work, not the provider's: once the job's last reply is read its
    // provider slot goes back, so the next request leaves while these images are checked and
    // written. The store slots bound the decoded images stored at once (a big reply takes them all).
    const releaseStoreSlot = await this.deps.storeSlots.acquire(Math.min(result.images.length, plan.count))
    // More images than asked would take seqs that belong to another call of the job.
    const images = result.images.slice(0, plan.count)
    replied(images.length)
    let records: ImageRecord[]
    try {
      records = await this.writeImages(job, images, plan.firstIndex).catch((err: unknown) => {
        throw this.deps.storage.asFailure(err)
      })
      if (!(await this.recordOrRemove(job.id, records, charge))) return null
    } finally {
      releaseStoreSlot()
      // Every write, hash and removal of these images has settled (writeImage resolves or rejects
      // only once its file work has): nothing reads their bytes any more. Not before this point.
      for (const image of result.images) this.deps.imageBuffers.giveBack(image.bytes)
    }
    progress.point = { stage: 'not_sent' }
    // The image is in the library now: its partial is of no more use.
    this.deps.partials?.forget(job.id)
    this.deps.announce.imagesAdded(records.map((r) => r.id))
    return records
  }

  private async writeImages(job: JobRecord, images: readonly GeneratedImage[], firstSeq: number): Promise<ImageRecord[]> {
    const written: ImageRecord[] = []
    try {
      for (const [i, image] of images.entries()) {
        const id = `img_${randomUUID()}`
        const createdAt = this.deps.clock.now()
        const stored = await this.deps.media.writeImage({
          id,
          bytes: image.bytes,
          expectedFormat: image.expectedFormat ?? job.params.format,
          createdAt,
        })
        written.push({
          id,
          jobId: job.id,
          seq: firstSeq + i,
          ...stored,
          prompt: job.prompt,
          revisedPrompt: image.revisedPrompt,
          provider: job.provider,
          keyLabel: job.keyLabel,
          favorite: false,
          createdAt,
        })
      }
      return written
    } catch (err) {
      await Promise.all(written.map((r) => this.deps.media.removeImage(r)))
      throw err
    }
  }

  /**
   * Records one call's images and cost. False when the job was canceled meanwhile; when SQLite
   * cannot write (full or read-only disk) the transaction rolls back whole and the files just
   * written are removed, so neither a row without a file nor a file without a row remains.
   */
  private async recordOrRemove(id: string, records: ImageRecord[], charge: CallCharge): Promise<boolean> {
    let recorded: boolean
    try {
      recorded = this.deps.store.jobs.recordImages(id, records, charge, this.deps.clock.now())
    } catch (err) {
      await Promise.allSettled(records.map((r) => this.deps.media.removeImage(r)))
      throw this.deps.storage.asFailure(err)
    }
    if (!recorded) await Promise.all(records.map((r) => this.deps.media.removeImage(r)))
    return recorded
  }

  /**
   * A job whose images could not be stored. Unsent, it goes back to the queue untouched by money.
   * Sent, it is failed, never resubmitted on its own: the provider charged (or may have), so the
   * row says how much and that Retry buys the image again. If SQLite cannot record even that, the
   * row stays 'running' (nothing half-written) and the pause reason carries the news instead.
   * Either way the queue pauses: the storage guard holds the reason.
   */
  private failForStorage(job: JobRecord, problem: StorageProblem, point: StorageFailurePoint): void {
    const { store, clock } = this.deps
    const now = clock.now()
    const message = storageFailureMessage(problem, point)
    // A damaged database takes no more writes: the row stays as it was, the pause says why.
    if (problem.code === 'damaged') {
      this.deps.storage.pause({ ...problem, message: `Job ${job.id}: ${message}` })
      return
    }
    try {
      if (point.stage === 'not_sent') {
        store.jobs.retryLater(job.id, { kind: 'internal', code: problem.code, message }, now, now)
      } else {
        store.transaction(() => {
          if (point.stage === 'answered') store.jobs.recordImages(job.id, [], point.charge, now)
          store.jobs.fail(job.id, { kind: 'internal', code: problem.code, message }, now)
        })
      }
      this.deps.storage.pause(problem)
    } catch (err) {
      if (!this.deps.storage.problemIn(err)) throw err
      this.deps.storage.pause({ ...problem, message: `${problem.message} Job ${job.id}: ${message} This could not be recorded in the library either.` })
    }
  }

  /** handleFailure, unless SQLite cannot write the row (full or read-only disk): then pause instead of crashing. */
  private recordFailure(job: JobRecord, error: ProviderError): void {
    try {
      this.handleFailure(job, error)
    } catch (err) {
      const problem = this.deps.storage.problemIn(err)
      if (!problem) throw err
      this.deps.storage.pause({ ...problem, message: `${problem.message} Job ${job.id} failed (${error.message}), and this could not be recorded.` })
    }
  }

  private handleFailure(job: JobRecord, error: ProviderError): void {
    const { store, clock } = this.deps
    const now = clock.now()
    const current = store.jobs.get(job.id)
    const attempts = current?.attempts ?? job.attempts
    const summary = { kind: error.kind, code: error.code, message: error.message }
    if (error.retryAfterMs !== null) this.deps.limiter.holdUntil(job.provider, now + error.retryAfterMs)
    if (error.code === FAILED_TASK_CODE && current) {
      this.handleFailedTask(current, error, now)
      return
    }
    if (error.taskEnded) store.jobs.setRemoteTask(job.id, null, now)
    if (isRetryable(error.kind) && attempts < job.maxAttempts) {
      const delay = retryDelayMs(this.deps.retry, attempts, error.retryAfterMs, this.deps.random)
      store.jobs.retryLater(job.id, summary, now + delay, now)
    } else {
      store.jobs.fail(job.id, summary, now)
    }
  }

  /**
   * A task the provider failed upstream, which it may bill all the same: counted with the job and
   * priced, then resubmitted once per job at most (see TASK_RESUBMITS_PER_JOB); after that the job
   * fails, saying so, and Retry is the user's call.
   */
  private handleFailedTask(job: JobRecord, error: ProviderError, now: number): void {
    const { store, providers } = this.deps
    const { profile } = providers.get(job.provider)
    const perCall = Math.max(1, Math.min(profile.maxImagesPerCall, job.params.n - store.jobs.imageCount(job.id)))
    const resubmit = job.taskResubmits < TASK_RESUBMITS_PER_JOB && job.attempts < job.maxAttempts
    const resubmitAt = resubmit ? now + retryDelayMs(this.deps.retry, job.attempts, error.retryAfterMs, this.deps.random) : null
    const message = failedTaskMessage({ providerMessage: error.message, providerName: profile.name, resubmitting: resubmit, resubmittedBefore: job.taskResubmits > 0 })
    store.jobs.taskFailed(job.id, { error: { kind: error.kind, code: error.code, message }, possibleCost: priceOf(profile, job.size, perCall), resubmitAt }, now)
  }
}

/**
 * The calls that bring a job to n images: its unsaved seqs, in runs of consecutive seqs cut at
 * `perCall`, each starting where a saved task starts (that call polls it, never submits again).
 */
export function planCalls(n: number, savedSeqs: readonly number[], tasks: ReadonlyMap<number, string>, perCall: number): CallPlan[] {
  const saved = new Set(savedSeqs)
  const plans: CallPlan[] = []
  let current: CallPlan | null = null
  for (let seq = 0; seq < n; seq++) {
    if (saved.has(seq)) {
      current = null
      continue
    }
    const task = tasks.get(seq) || null
    if (current && current.count < perCall && task === null && current.firstIndex + current.count === seq) {
      current.count++
    } else {
      current = { count: 1, firstIndex: seq, resumeTaskId: task }
      plans.push(current)
    }
  }
  return plans
}

/**
 * A job whose previews stream in: its stream events do not say which of several images they belong
 * to, so it makes one image per call; and the job has one preview at a time (the newest, see
 * media/partial-previews.ts), so those calls go one after another, each image drawn in full view.
 */
function streamsPartials(job: JobRecord, profile: ProviderProfile): boolean {
  return Boolean(job.params.partialImages) && profile.streaming === true
}

function imagesPerCall(job: JobRecord, profile: ProviderProfile): number {
  return streamsPartials(job, profile) ? 1 : profile.maxImagesPerCall
}

/**
 * The failure as it may be stored, shown and printed: the key this attempt sent is cut out of
 * whatever the provider said (some quote it), before any path (the job row, a pause message) sees it.
 */
function withoutSecret(error: ProviderError, secret: string | null): ProviderError {
  if (!secret) return error
  return new ProviderError(error.kind, redactSecret(error.message, secret), {
    code: error.code === null ? null : redactSecret(error.code, secret),
    retryAfterMs: error.retryAfterMs,
    taskEnded: error.taskEnded,
  })
}
