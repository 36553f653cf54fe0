import { randomUUID } from 'node:crypto'
import type { EventMessage, JobView, OutputFormat, QueueState } from '../../../shared/api'
import type { Clock } from '../clock'
import type { PartialImage } from '../providers/dialect'
import { ProviderError } from '../providers/provider-error'
import type { ProviderRegistry } from '../providers/registry'
import { chargeForCall } from '../pricing/call-charge'
import { priceOf } from '../pricing/estimate'
import { redactSecret } from '../secrets/redact-secret'
import { BudgetGate } from '../spend/budget-rules'
import { Calendar } from '../spend/calendar'
import { bytesNeededFor, storageProblemOf, type StorageProblem } from '../files/storage-check'
import type { CallCharge, ImageRecord, JobRecord } from '../store/records'
import type { Store } from '../store/store'
import { classifyError } from './classify-error'
import { RateLimiter } from './rate-limiter'
import { Slots } from './slots'
import { recoveryFor } from './recovery'
import { defaultRetryPolicy, isRetryable, retryDelayMs, TASK_RESUBMITS_PER_JOB, type RetryPolicy } from './retry-policy'
import { failedTaskMessage } from './failed-task'

/** Where image bytes go: the media store in the app, anything with the same shape in tests. */
export interface ImageSink {
  writeImage(input: {
    id: string
    bytes: Uint8Array
    expectedFormat?: OutputFormat
    createdAt: number
  }): Promise<{ file: string; thumb: string; format: OutputFormat; width: number; height: number; bytes: number; sha256: string }>
  removeImage(rel: { file: string; thumb: string }): Promise<void>
}

/**
 * Finds the secret for a job when it runs (keychain id or environment variable name), for the base
 * URL the call is about to go to: a stored key is refused for any host but its own, even for a job
 * queued before that rule existed (it throws a ProviderError then).
 */
export type SecretResolver = (job: JobRecord, baseUrl: string) => Promise<string | null>

export interface JobQueueDeps {
  store: Store
  media: ImageSink
  providers: ProviderRegistry
  resolveSecret: SecretResolver
  clock: Clock
  fetch: typeof fetch
  emit(message: EventMessage): void
  toView(job: JobRecord): JobView
  retry?: RetryPolicy
  /** How often an idle queue looks for work added by another process (the CLI beside the app). */
  pollIntervalMs?: number
  random?: () => number
  /** Local days for daily budgets (default: the system time zone). */
  calendar?: Calendar
  /** Images being stored at once, once their jobs gave their provider slots back (default 4). */
  storeSlots?: number
  /** Whether the library folder can take writes (default: failed writes are mapped, nothing is checked ahead). */
  storage?: StorageGuard
  /** Where streamed partial images go (see media/partial-previews.ts); absent: they are dropped. */
  partials?: PartialImageSink
}

export interface PartialImageSink {
  receive(jobId: string, imageIndex: number, partial: PartialImage): void
  forget(jobId: string): void
}

/** The library folder's health, as the queue needs it; see files/storage-check.ts. */
export interface StorageGuard {
  /** Why the library cannot take this many more bytes now, or null if it can. */
  check(bytesNeeded: number): StorageProblem | null
  /** The storage problem behind a failed write, or null when the error is something else. */
  problemOf(err: unknown): StorageProblem | null
}

const PAUSED_KEY = 'queue.paused'
/** The code the async-task dialect gives a task that failed upstream (see providers/toapis.ts). */
const FAILED_TASK_CODE = 'task_failed'
/** The reason the queue paused itself (JSON StorageProblem), so other processes can show it. */
const STORAGE_PAUSE_KEY = 'queue.storagePause'

class StorageFailure extends Error {
  constructor(
    readonly problem: StorageProblem,
    cause: unknown,
  ) {
    super(problem.message, { cause })
    this.name = 'StorageFailure'
  }
}

/** What a job had reached when its images could not be stored: decides whether money was spent. */
type StorageFailurePoint =
  | { stage: 'not_sent' }
  | { stage: 'sent' }
  | { stage: 'answered'; images: number; charged: number | null; currency: string; charge: CallCharge }

/**
 * The persistent scheduler. All state lives in SQLite: a job is claimed with a guarded update,
 * its images are recorded per provider call, and a restart picks up from the rows. Only the
 * process holding the runner lock may construct and start one.
 */
export class JobQueue {
  private readonly controllers = new Map<string, AbortController>()
  private readonly perProvider = new Map<string, number>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly retry: RetryPolicy
  private readonly limiter: RateLimiter
  private readonly storeSlots: Slots
  private readonly calendar: Calendar
  private wake: AbortController | null = null
  private loopDone: Promise<void> | null = null
  private stopped = false
  private lastQueueState = ''
  /** Kept in memory too: on a full or read-only disk the meta row may not be writable. */
  private storagePause: StorageProblem | null = null
  private readonly storage: StorageGuard

  constructor(private readonly deps: JobQueueDeps) {
    this.storage = deps.storage ?? { check: () => null, problemOf: (err) => storageProblemOf(err, null) }
    this.retry = deps.retry ?? defaultRetryPolicy
    this.limiter = new RateLimiter(deps.clock)
    this.storeSlots = new Slots(deps.storeSlots ?? 4)
    this.calendar = deps.calendar ?? new Calendar()
  }

  get paused(): boolean {
    return this.pausedFor(this.pauseReason())
  }

  /** Paused by the user, or by itself for `reason`. */
  private pausedFor(reason: StorageProblem | null): boolean {
    return reason !== null || this.deps.store.getMeta(PAUSED_KEY) === '1'
  }

  /** Recovers work left in flight by a previous process, then starts taking jobs. */
  start(): void {
    if (this.loopDone || this.stopped) return
    this.recover()
    this.loopDone = this.loop()
  }

  /** Jobs that were running when the last process stopped. See recovery.ts: never pay twice silently. */
  recover(): void {
    const { store, providers, clock } = this.deps
    for (const job of store.jobs.withStatus('running')) {
      const registered = providers.has(job.provider) ? providers.get(job.provider) : null
      const now = clock.now()
      const recovery = recoveryFor(job, {
        imagesSaved: store.jobs.imageCount(job.id),
        providerName: registered?.profile.name ?? null,
        canResumeTask: job.remoteTaskId !== null && registered?.adapter.resume !== undefined,
        safeToResubmit: registered?.profile.safeToResubmit ?? false,
      })
      if (recovery.action === 'succeed') store.jobs.succeed(job.id, now)
      else if (recovery.action === 'resume') store.jobs.resumeInFlight(job.id, now, { sameAttempt: recovery.sameAttempt })
      else store.jobs.interrupt(job.id, recovery.message, now)
      this.emitJob(job.id)
    }
    this.emitQueue()
  }

  /** Wake the loop now: new work, a cancel, or a finished job. */
  poke(): void {
    this.wake?.abort()
  }

  pause(): QueueState {
    this.deps.store.setMeta(PAUSED_KEY, '1')
    this.emitQueue()
    return this.state()
  }

  resume(): QueueState {
    this.resumeAfterStorage()
    this.emitQueue()
    this.poke()
    return this.state()
  }

  state(): QueueState {
    const pauseReason = this.pauseReason()
    return {
      paused: this.pausedFor(pauseReason),
      counts: this.deps.store.jobs.counts(),
      held: this.deps.store.jobs.heldCount(),
      pauseReason,
    }
  }

  /** Why the queue paused itself (this process, or another runner that could record it), or null. */
  pauseReason(): StorageProblem | null {
    if (this.storagePause) return this.storagePause
    const saved = this.deps.store.getMeta(STORAGE_PAUSE_KEY)
    if (!saved) return null
    try {
      return JSON.parse(saved) as StorageProblem
    } catch {
      return null
    }
  }

  cancel(id: string): boolean {
    const changed = this.deps.store.jobs.cancel(id, this.deps.clock.now())
    this.controllers.get(id)?.abort(new ProviderError('internal', 'canceled', { code: 'canceled' }))
    if (changed) {
      this.emitJob(id)
      this.emitQueue()
    }
    return changed
  }

  cancelBatch(batchId: string): number {
    const ids = this.deps.store.jobs.inBatch(batchId).map((j) => j.id)
    const n = this.deps.store.jobs.cancelBatch(batchId, this.deps.clock.now())
    for (const id of ids) {
      this.controllers.get(id)?.abort(new ProviderError('internal', 'canceled', { code: 'canceled' }))
      this.emitJob(id)
    }
    this.emitQueue()
    return n
  }

  retryJob(id: string): boolean {
    return this.retryJobs([id]) === 1
  }

  /** Removes failed and canceled jobs that own no image; the counts change, so say so. */
  clearFinished(): number {
    const removed = this.deps.store.jobs.clearFinished()
    this.emitQueue()
    return removed
  }

  /** Requeues each job that can be retried; returns how many were. One wake-up for all of them. */
  retryJobs(ids: readonly string[]): number {
    const now = this.deps.clock.now()
    let retried = 0
    for (const id of ids) {
      if (!this.deps.store.jobs.requeue(id, now)) continue
      retried++
      this.emitJob(id)
    }
    if (retried > 0) {
      this.emitQueue()
      this.poke()
    }
    return retried
  }

  /** Number of jobs this process is running right now. */
  get activeCount(): number {
    return this.controllers.size
  }

  /**
   * Stops taking work. Without `drain`, calls in flight are aborted and their rows stay 'running',
   * so the next start recovers them exactly as after a crash: one code path for both. With
   * `drain` (a CLI that ran the queue briefly), calls in flight are allowed to finish first.
   */
  async shutdown(options: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true
    if (!options.drain) {
      for (const c of this.controllers.values()) c.abort(new ProviderError('internal', 'shutdown', { code: 'shutdown' }))
    }
    this.poke()
    await this.loopDone
    await Promise.allSettled([...this.inFlight])
  }

  /**
   * Resolves when nothing is queued or running, jobs held by a budget aside (they wait for a
   * person, not for the queue); used by the CLI's `run` and `--wait`.
   */
  async whenIdle(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const counts = this.deps.store.jobs.counts()
      const waiting = counts.queued - this.deps.store.jobs.heldCount()
      if (waiting === 0 && counts.running === 0 && this.inFlight.size === 0) return
      if (this.paused && this.inFlight.size === 0) return
      await this.deps.clock.sleep(100, signal)
    }
  }

  private async loop(): Promise<void> {
    const { store, clock } = this.deps
    const poll = this.deps.pollIntervalMs ?? 2000
    while (!this.stopped) {
      const now = clock.now()
      let next: number | null
      try {
        this.pump()
        next = store.jobs.nextWakeAfter(now)
      } catch (err) {
        // A damaged database fails reads too: the loop must stay alive (a rejected loop ends the
        // process) and take no more work until someone acts on the pause reason.
        const problem = this.storage.problemOf(err)
        if (!problem) throw err
        this.pauseForStorage(problem)
        next = null
      }
      const wait = next === null ? poll : Math.min(poll, Math.max(0, next - now))
      this.wake = new AbortController()
      try {
        await clock.sleep(wait, this.wake.signal)
      } catch {
        // woken early on purpose
      }
    }
  }

  /** Starts as many runnable jobs as the per-provider limits and the budgets allow. */
  private pump(): void {
    if (this.stopped) return
    if (this.paused) {
      // Nothing starts, but work queued meanwhile still changes the counts every door shows.
      this.emitQueue()
      return
    }
    try {
      this.startRunnable()
    } catch (err) {
      // A claim or hold that SQLite could not write (full or read-only disk): stop taking work.
      const problem = this.storage.problemOf(err)
      if (!problem) throw err
      this.pauseForStorage(problem)
    }
    this.emitQueue()
  }

  private startRunnable(): void {
    const { store, providers, clock } = this.deps
    const now = clock.now()
    const budgets = new BudgetGate(store.spend, this.calendar, now, store.budgets.list())
    for (const job of store.jobs.runnable(now, 500)) {
      if (!providers.has(job.provider)) {
        if (store.jobs.claim(job.id, now)) {
          store.jobs.fail(job.id, { kind: 'input', code: 'unknown_provider', message: `Provider "${job.provider}" is not configured.` }, now)
          this.emitJob(job.id)
        }
        continue
      }
      if (!this.passesBudgets(budgets, job, now)) continue
      const limit = providers.get(job.provider).profile.concurrency
      const busy = this.perProvider.get(job.provider) ?? 0
      if (busy >= limit) continue
      if (!this.storageAllows(bytesNeededFor(job.size, job.params.n))) return
      if (!store.jobs.claim(job.id, now)) continue
      budgets.reserve(job)
      this.perProvider.set(job.provider, busy + 1)
      let holdsProviderSlot = true
      const releaseProviderSlot = (): void => {
        if (!holdsProviderSlot) return
        holdsProviderSlot = false
        this.perProvider.set(job.provider, (this.perProvider.get(job.provider) ?? 1) - 1)
        this.poke()
      }
      const run = this.run(job.id, releaseProviderSlot).finally(() => {
        releaseProviderSlot()
        this.inFlight.delete(run)
        this.emitQueue()
        this.poke()
      })
      this.inFlight.add(run)
    }
  }

  /**
   * Holds a job that a budget stops, saying why, or releases one that fits again (a budget was
   * raised or removed, or a new day began). A held job stays queued: it is neither failed nor charged.
   */
  private passesBudgets(budgets: BudgetGate, job: JobRecord, now: number): boolean {
    const hold = budgets.empty ? null : budgets.check(job)
    if ((hold?.reason ?? null) !== job.holdReason && this.deps.store.jobs.setHold(job.id, hold, now)) this.emitJob(job.id)
    return hold === null
  }

  /**
   * Runs one claimed job. `releaseProviderSlot` gives its place under the provider's concurrency
   * back early, once the job's last reply has been read; the pump releases it otherwise.
   */
  private async run(id: string, releaseProviderSlot: () => void): Promise<void> {
    const { store, providers, clock } = this.deps
    const job = store.jobs.get(id)
    if (!job) return
    const controller = new AbortController()
    this.controllers.set(id, controller)
    this.emitJob(id)
    let secret: string | null = null
    let stage: StorageFailurePoint = { stage: 'not_sent' }
    try {
      const { profile, adapter } = providers.get(job.provider)
      // Resolved once, and the same value both checks the key's host and is called.
      const baseUrl = job.baseUrl ?? profile.baseUrl
      secret = profile.auth === 'none' ? null : await this.deps.resolveSecret(job, baseUrl)
      let done = store.jobs.imageCount(id)
      let taskId = job.remoteTaskId
      stage = taskId ? { stage: 'sent' } : { stage: 'not_sent' }
      // Stream events do not say which of several images they belong to: one image per call.
      const perCall = job.params.partialImages && profile.streaming ? 1 : profile.maxImagesPerCall
      while (done < job.params.n) {
        const count = Math.min(perCall, job.params.n - done)
        const imageIndex = done
        const call = {
          jobId: id,
          profile,
          baseUrl,
          secret,
          params: job.params,
          size: job.size,
          count,
          firstIndex: done,
          signal: controller.signal,
          clock,
          fetch: this.deps.fetch,
          onTaskId: (t: string) => {
            taskId = t
            store.jobs.setRemoteTask(id, t, clock.now())
            // The row now says "polling the provider".
            this.emitJob(id)
          },
          backoff: {
            wait: () => this.limiter.whenClear(profile.id, controller.signal),
            hold: (ms: number) => this.limiter.holdUntil(profile.id, clock.now() + ms),
          },
          onPartialImage: (partial: PartialImage) => this.deps.partials?.receive(id, imageIndex, partial),
        }
        await this.limiter.acquire(profile.id, profile.requestsPerMinute, controller.signal)
        stage = { stage: 'sent' }
        const result = taskId && adapter.resume ? await adapter.resume(call, taskId) : await adapter.generate(call)
        taskId = null
        if (result.images.length === 0) {
          throw new ProviderError('provider_down', 'The provider answered but returned no image.', { code: 'no_image' })
        }
        // The provider's own figure wins; then its token usage at the model's prices; else the
        // table price; null when none is known.
        const charge = chargeForCall(profile, job.size, result)
        const charged = charge.amount
        stage = { stage: 'answered', images: result.images.length, charged, currency: job.currency, charge }
        // Storing is our own work, not the provider's: once the job's last reply is read its
        // provider slot goes back, so the next request leaves while these images are checked and
        // written. The store slots bound the decoded images stored at once (a big reply takes them all).
        const releaseStoreSlot = await this.storeSlots.acquire(result.images.length)
        if (done + result.images.length >= job.params.n) releaseProviderSlot()
        let records: ImageRecord[]
        try {
          records = await this.writeImages(job, result.images, done).catch((err: unknown) => {
            throw this.asStorageFailure(err)
          })
          if (!(await this.recordOrRemove(id, records, charge))) return
        } finally {
          releaseStoreSlot()
        }
        stage = { stage: 'not_sent' }
        // The image is in the library now: its partial is of no more use.
        this.deps.partials?.forget(id)
        this.deps.emit({ event: 'gallery.changed', data: { added: records.map((r) => r.id), removed: [] } })
        done += records.length
        this.emitJob(id)
      }
      store.jobs.succeed(id, clock.now())
    } catch (err) {
      if (controller.signal.aborted) return // canceled (row already says so) or shutting down
      const problem = this.storageProblemIn(err)
      if (problem) this.failForStorage(job, problem, stage)
      else this.recordFailure(job, withoutSecret(classifyError(err), secret))
    } finally {
      this.controllers.delete(id)
      this.deps.partials?.forget(id)
      this.emitJobSafely(id)
    }
  }

  private async writeImages(
    job: JobRecord,
    images: readonly { bytes: Uint8Array; revisedPrompt: string | null; expectedFormat?: OutputFormat }[],
    firstSeq: number,
  ): Promise<ImageRecord[]> {
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
      throw this.asStorageFailure(err)
    }
    if (!recorded) await Promise.all(records.map((r) => this.deps.media.removeImage(r)))
    return recorded
  }

  /** Marks an error from our own writes that the disk caused, so the queue pauses on it. */
  private asStorageFailure(err: unknown): unknown {
    const problem = this.storage.problemOf(err)
    return problem ? new StorageFailure(problem, err) : err
  }

  /**
   * A storage problem only where we wrote: our image writes, or SQLite anywhere (its codes are
   * unambiguous). An errno from the network side (a firewall's connect EACCES) must not pause.
   */
  private storageProblemIn(err: unknown): StorageProblem | null {
    if (err instanceof StorageFailure) return err.problem
    const code = (err as { code?: unknown } | null)?.code
    return typeof code === 'string' && code.startsWith('SQLITE_') ? this.storage.problemOf(err) : null
  }

  /**
   * Before a job is sent: is there room for its images, and may we write? If not, the queue
   * pauses itself with the reason and the job stays queued, unsent and uncharged.
   */
  private storageAllows(bytesNeeded: number): boolean {
    const problem = this.storage.check(bytesNeeded)
    if (!problem) return true
    this.pauseForStorage(problem)
    return false
  }

  /** Stops taking work until resume(); kept in memory first, recorded in the database if it can be. */
  private pauseForStorage(problem: StorageProblem): void {
    const first = this.storagePause === null
    this.storagePause = problem
    try {
      // No write onto a damaged database: memory carries the reason.
      if (problem.code !== 'damaged') this.deps.store.setMeta(STORAGE_PAUSE_KEY, JSON.stringify(problem))
    } catch {
      // The disk that is full or read-only may hold the database too: memory has to do.
    }
    if (!first) return
    try {
      this.emitQueue()
    } catch (err) {
      // A damaged database cannot count the jobs for the event; each call then says why instead.
      if (!this.storage.problemOf(err)) throw err
    }
  }

  /** For a new runner: drop a storage pause recorded by an earlier process (best effort). */
  forgetStoragePause(): void {
    this.storagePause = null
    try {
      this.deps.store.setMeta(STORAGE_PAUSE_KEY, '')
    } catch (err) {
      if (!this.storage.problemOf(err)) throw err
    }
  }

  /** Resume clears a storage pause too; the next pump checks the disk again before sending. */
  private resumeAfterStorage(): void {
    this.storagePause = null
    try {
      this.deps.store.transaction(() => {
        this.deps.store.setMeta(STORAGE_PAUSE_KEY, '')
        this.deps.store.setMeta(PAUSED_KEY, '0')
      })
    } catch (err) {
      const problem = this.storage.problemOf(err)
      if (!problem) throw err
      this.pauseForStorage(problem)
    }
  }

  /**
   * A job whose images could not be stored. Unsent, it goes back to the queue untouched by money.
   * Sent, it is failed, never resubmitted on its own: the provider charged (or may have), so the
   * row says how much and that Retry buys the image again. If SQLite cannot record even that, the
   * row stays 'running' (nothing half-written) and the pause reason carries the news instead.
   */
  private failForStorage(job: JobRecord, problem: StorageProblem, point: StorageFailurePoint): void {
    const { store, clock } = this.deps
    const now = clock.now()
    const message = storageFailureMessage(problem, point)
    // A damaged database takes no more writes: the row stays as it was, the pause says why.
    if (problem.code === 'damaged') {
      this.pauseForStorage({ ...problem, message: `Job ${job.id}: ${message}` })
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
      this.pauseForStorage(problem)
    } catch (err) {
      if (!this.storageProblemIn(err)) throw err
      this.pauseForStorage({ ...problem, message: `${problem.message} Job ${job.id}: ${message} This could not be recorded in the library either.` })
    }
  }

  /** handleFailure, unless SQLite cannot write the row (full or read-only disk): then pause instead of crashing. */
  private recordFailure(job: JobRecord, error: ProviderError): void {
    try {
      this.handleFailure(job, error)
    } catch (err) {
      const problem = this.storageProblemIn(err)
      if (!problem) throw err
      this.pauseForStorage({ ...problem, message: `${problem.message} Job ${job.id} failed (${error.message}), and this could not be recorded.` })
    }
  }

  private handleFailure(job: JobRecord, error: ProviderError): void {
    const { store, clock } = this.deps
    const now = clock.now()
    const current = store.jobs.get(job.id)
    const attempts = current?.attempts ?? job.attempts
    const summary = { kind: error.kind, code: error.code, message: error.message }
    if (error.retryAfterMs !== null) this.limiter.holdUntil(job.provider, now + error.retryAfterMs)
    if (error.code === FAILED_TASK_CODE && current) {
      this.handleFailedTask(current, error, now)
      return
    }
    if (error.taskEnded) store.jobs.setRemoteTask(job.id, null, now)
    if (isRetryable(error.kind) && attempts < job.maxAttempts) {
      const delay = retryDelayMs(this.retry, attempts, error.retryAfterMs, this.deps.random)
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
    const resubmitAt = resubmit ? now + retryDelayMs(this.retry, job.attempts, error.retryAfterMs, this.deps.random) : null
    const message = failedTaskMessage({ jobId: job.id, providerMessage: error.message, providerName: profile.name, resubmitting: resubmit, resubmittedBefore: job.taskResubmits > 0 })
    store.jobs.taskFailed(job.id, { error: { kind: error.kind, code: error.code, message }, possibleCost: priceOf(profile, job.size, perCall), resubmitAt }, now)
  }

  /** After a storage failure the row may not be readable-then-writable; an event is not worth a crash. */
  private emitJobSafely(id: string): void {
    try {
      this.emitJob(id)
    } catch (err) {
      if (!this.storage.problemOf(err)) throw err
    }
  }

  private emitJob(id: string): void {
    const job = this.deps.store.jobs.get(id)
    if (job) this.deps.emit({ event: 'job.updated', data: this.deps.toView(job) })
  }

  /** Emits queue.changed only when the counts or the pause flag actually changed. */
  private emitQueue(): void {
    const state = this.state()
    const key = JSON.stringify(state)
    if (key === this.lastQueueState) return
    this.lastQueueState = key
    this.deps.emit({ event: 'queue.changed', data: state })
  }
}

function storageFailureMessage(problem: StorageProblem, point: StorageFailurePoint): string {
  switch (point.stage) {
    case 'not_sent':
      return `Not sent, nothing charged: ${problem.message} It runs once the queue is resumed.`
    case 'sent':
      return `The request had reached the provider, which may have charged for it, but its result could not be stored: ${problem.message} It was not sent again: check the provider, then Retry if you still want it.`
    case 'answered': {
      const cost = point.charged === null ? 'an unknown amount' : `${point.currency === 'USD' ? '$' : `${point.currency} `}${point.charged}`
      return `The provider returned ${point.images} image(s) and charged ${cost}, but they could not be saved: ${problem.message} It was not sent again; Retry buys the image(s) again once there is room.`
    }
  }
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
