/**
 * The persistent scheduler: which claimed job starts when. It owns the loop and its timers, the
 * per-provider concurrency, the rate limiter and store slots it lends to running jobs, budgets,
 * pause and resume, and recovery at start. One job's work (provider calls, images, charge,
 * failure) is the JobRunner's; a library disk that cannot take writes is the StorageGuard's.
 */
import type { EventMessage, JobView, QueueState } from '../../../shared/api'
import type { Clock } from '../clock'
import { ProviderError } from '../providers/provider-error'
import type { ProviderRegistry } from '../providers/registry'
import { BudgetGate } from '../spend/budget-rules'
import { Calendar } from '../spend/calendar'
import { bytesNeededFor, type StorageProblem } from '../files/storage-check'
import type { JobRecord } from '../store/records'
import type { Store } from '../store/store'
import { JobRunner, type ImageSink, type JobLease, type PartialImageSink, type SecretResolver } from './job-runner'
import { RateLimiter } from './rate-limiter'
import { ImageBuffers } from './image-buffers'
import { Slots } from './slots'
import { recoveryFor } from './recovery'
import { SENT_WITHOUT_TASK } from '../store/remote-tasks'
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy'
import { StorageGuard, uncheckedStorage, type StorageProbe } from './storage-guard'

/** What the scheduler itself uses. */
interface SchedulerDeps {
  store: Pick<Store, 'jobs' | 'spend' | 'budgets' | 'getMeta' | 'setMeta'>
  providers: Pick<ProviderRegistry, 'has' | 'get'>
  clock: Clock
  emit(message: EventMessage): void
  toView(job: JobRecord): JobView
  /** How often an idle queue looks for work added by another process (the CLI beside the app). */
  pollIntervalMs?: number
  /** Local days for daily budgets (default: the system time zone). */
  calendar?: Calendar
}

/**
 * What a queue is built from: the scheduler's own part, plus what it hands on to its job runner
 * (the outside world of one job) and to its storage guard. The constructor splits it, so each
 * room sees only its own part.
 */
export interface JobQueueDeps extends SchedulerDeps {
  store: SchedulerDeps['store'] & Pick<Store, 'transaction'>
  providers: ProviderRegistry
  media: ImageSink
  resolveSecret: SecretResolver
  fetch: typeof fetch
  retry?: RetryPolicy
  random?: () => number
  /** Images being stored at once, once their jobs gave their provider slots back (default 4). */
  storeSlots?: number
  /** Whether the library folder can take writes (default: failed writes are mapped, nothing is checked ahead). */
  storage?: StorageProbe
  /** Where streamed partial images go (see media/partial-previews.ts); absent: they are dropped. */
  partials?: PartialImageSink
}

const PAUSED_KEY = 'queue.paused'

/**
 * The persistent scheduler. All state lives in SQLite: a job is claimed with a guarded update,
 * its images are recorded per provider call, and a restart picks up from the rows. Only the
 * process holding the runner lock may construct and start one.
 */
export class JobQueue {
  private readonly controllers = new Map<string, AbortController>()
  private readonly perProvider = new Map<string, number>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly calendar: Calendar
  private readonly deps: SchedulerDeps
  private readonly storage: StorageGuard
  private readonly runner: JobRunner
  private readonly imageBuffers = new ImageBuffers()
  private wake: AbortController | null = null
  private loopDone: Promise<void> | null = null
  private stopped = false
  private lastQueueState = ''

  constructor(parts: JobQueueDeps) {
    const { media, resolveSecret, fetch, retry, random, storeSlots, storage, partials, ...own } = parts
    this.deps = own
    this.calendar = own.calendar ?? new Calendar()
    this.storage = new StorageGuard({ meta: parts.store, probe: storage ?? uncheckedStorage, stateChanged: () => this.emitQueue() })
    this.runner = new JobRunner({
      store: parts.store,
      providers: parts.providers,
      clock: parts.clock,
      media,
      resolveSecret,
      fetch,
      retry: retry ?? defaultRetryPolicy,
      random,
      partials,
      // Lent to every running job: one pace per provider and one bound on images being stored.
      limiter: new RateLimiter(parts.clock),
      storeSlots: new Slots(storeSlots ?? 4),
      imageBuffers: this.imageBuffers,
      storage: this.storage,
      announce: {
        jobChanged: (id) => this.emitJob(id),
        imagesAdded: (ids) => this.deps.emit({ event: 'gallery.changed', data: { added: [...ids], removed: [] } }),
      },
    })
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
      const tasks = store.jobs.remoteTasks(job.id)
      const recovery = recoveryFor(job, {
        imagesSaved: store.jobs.imageCount(job.id),
        providerName: registered?.profile.name ?? null,
        canResumeTask: [...tasks.values()].some((t) => t !== SENT_WITHOUT_TASK) && registered?.adapter.resume !== undefined,
        sentWithoutTask: [...tasks.values()].includes(SENT_WITHOUT_TASK),
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
    // Clears a storage pause too; the next pass checks the disk again before sending.
    this.storage.resume(() => this.deps.store.setMeta(PAUSED_KEY, '0'))
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
    return this.storage.reason()
  }

  /** For a new runner: drop a storage pause recorded by an earlier process (best effort). */
  forgetStoragePause(): void {
    this.storage.forget()
  }

  cancel(id: string): boolean {
    const changed = this.deps.store.jobs.cancel(id, this.deps.clock.now())
    this.controllers.get(id)?.abort(canceled())
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
      this.controllers.get(id)?.abort(canceled())
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
      this.imageBuffers.sweep(now)
      try {
        this.pump()
        next = store.jobs.nextWakeAfter(now)
      } catch (err) {
        // A damaged database fails reads too: the loop must stay alive (a rejected loop ends the
        // process) and take no more work until someone acts on the pause reason.
        this.storage.pauseOrThrow(err)
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
      this.storage.pauseOrThrow(err)
    }
    this.emitQueue()
  }

  private startRunnable(): void {
    const { store, providers, clock } = this.deps
    const now = clock.now()
    const budgets = new BudgetGate(store.spend, this.calendar, now, store.budgets.list())
    for (const queued of store.jobs.runnable(now, 500)) {
      if (!providers.has(queued.provider)) {
        if (store.jobs.claim(queued.id, now)) {
          store.jobs.fail(queued.id, { kind: 'input', code: 'unknown_provider', message: `Provider "${queued.provider}" is not configured.` }, now)
          this.emitJob(queued.id)
        }
        continue
      }
      // With no budget and no hold on the row there is nothing to check or release: the row need
      // not be read whole unless it can start.
      if (!budgets.empty || queued.holdReason !== null) {
        if (!this.passesBudgets(budgets, queued.record(), now)) continue
      }
      const limit = providers.get(queued.provider).profile.concurrency
      const busy = this.perProvider.get(queued.provider) ?? 0
      if (busy >= limit) continue
      const job = queued.record()
      if (!this.storage.allows(bytesNeededFor(job.size, job.params.n))) return
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
      // A split job's further calls each take a free place under the same limit, or wait their turn.
      const borrowProviderSlot = (): (() => void) | null => {
        const taken = this.perProvider.get(job.provider) ?? 0
        if (taken >= limit) return null
        this.perProvider.set(job.provider, taken + 1)
        let held = true
        return () => {
          if (!held) return
          held = false
          this.perProvider.set(job.provider, (this.perProvider.get(job.provider) ?? 1) - 1)
          this.poke()
        }
      }
      const run = this.run(job.id, { releaseProviderSlot, borrowProviderSlot }).finally(() => {
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
   * Runs one claimed job through the runner, under a controller that cancel and shutdown abort.
   * `releaseProviderSlot` lets the runner give its provider place back once the last reply is read.
   */
  private async run(id: string, slots: Pick<JobLease, 'releaseProviderSlot' | 'borrowProviderSlot'>): Promise<void> {
    const controller = new AbortController()
    this.controllers.set(id, controller)
    try {
      await this.runner.run(id, { signal: controller.signal, ...slots })
    } finally {
      this.controllers.delete(id)
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

/** The abort reason of a cancel: the runner records nothing more for the job (its row says canceled). */
function canceled(): ProviderError {
  return new ProviderError('internal', 'canceled', { code: 'canceled' })
}
