import type { Database } from 'better-sqlite3'
import { addUsage, CANCELABLE_STATUSES, ChargeBasis, RerunOrigin, RETRYABLE_STATUSES, sizeLabel, TokenUsage, type JobStatus } from '../../../shared/api'
import { storedReference, storedReferences } from '../../../shared/references/reference-text'
import type { CallCharge, FailedTask, ImageRecord, JobError, JobRecord, NewJob, StoredJobParams } from './records'
import type { ImagesRepo } from './images-repo'
import { firstUnsavedSeq, formatRemoteTasks, parseRemoteTasks, type RemoteTasks } from './remote-tasks'

interface JobRow {
  id: string
  batch_id: string | null
  provider: string
  params: string
  size: string
  prompt: string
  status: JobStatus
  attempts: number
  max_attempts: number
  next_attempt_at: number | null
  remote_task_id: string | null
  error_kind: JobRecord['errorKind']
  error_code: string | null
  error_message: string | null
  estimated_cost: number
  estimate_known: 0 | 1
  charged_cost: number | null
  charge_known: 0 | 1
  usage: string | null
  charge_basis: string | null
  charge_source: string | null
  currency: string
  key_id: string | null
  key_env: string | null
  key_label: string | null
  base_url: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  updated_at: number
  hold_reason: string | null
  held_by: string | null
  sku: string | null
  batch_row: number | null
  failed_tasks: number
  failed_tasks_cost: number | null
  task_resubmits: number
}

/**
 * A job's params as stored. Jobs queued before references were typed hold them as plain strings;
 * they are classified here, once, so a queued or old job still runs and its settings can be reused.
 */
function readParams(row: Pick<JobRow, 'params' | 'provider' | 'prompt' | 'base_url'>): JobRecord['params'] {
  const params = JSON.parse(row.params) as StoredJobParams & { refs?: unknown; mask?: unknown }
  // Older rows also hold provider, prompt and baseUrl here: the columns are the source, so those copies are dropped.
  const { mask, rerunOf, provider: _provider, prompt: _prompt, baseUrl: _baseUrl, ...rest } = params as typeof params & Partial<Pick<JobRecord['params'], 'provider' | 'prompt' | 'baseUrl'>>
  const origin = RerunOrigin.safeParse(rerunOf).data
  return {
    ...rest,
    ...(origin ? { rerunOf: origin } : {}),
    provider: row.provider,
    prompt: row.prompt,
    ...(row.base_url !== null ? { baseUrl: row.base_url } : {}),
    refs: storedReferences(params.refs),
    ...(mask !== undefined ? { mask: storedReference(mask) } : {}),
  }
}

/** What goes into the params JSON: everything but the values that have their own column. */
function storedParams(params: NewJob['params']): StoredJobParams {
  // A wider object can reach here through a variable; its column values must not be copied in.
  const { provider: _provider, prompt: _prompt, baseUrl: _baseUrl, ...rest } = params as NewJob['params'] & Partial<Pick<JobRecord['params'], 'provider' | 'prompt' | 'baseUrl'>>
  return rest
}

/** A queued job as the pump first sees it: enough to pass it over; the whole record on demand. */
export interface RunnableJob {
  id: string
  provider: string
  holdReason: JobRecord['holdReason']
  record(): JobRecord
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    batchId: row.batch_id,
    provider: row.provider,
    params: readParams(row),
    size: JSON.parse(row.size) as JobRecord['size'],
    prompt: row.prompt,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: row.next_attempt_at,
    remoteTaskId: row.remote_task_id,
    errorKind: row.error_kind,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    estimatedCost: row.estimate_known ? row.estimated_cost : null,
    chargedCost: row.charge_known ? row.charged_cost : null,
    usage: parseUsage(row.usage),
    chargeBasis: ChargeBasis.safeParse(row.charge_basis).data ?? null,
    chargeSource: row.charge_source,
    currency: row.currency,
    keyId: row.key_id,
    keyEnv: row.key_env,
    keyLabel: row.key_label,
    baseUrl: row.base_url,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    holdReason: row.hold_reason,
    heldBy: row.held_by,
    sku: row.sku,
    batchRow: row.batch_row,
    failedTasks: row.failed_tasks,
    failedTasksCost: row.failed_tasks_cost,
    taskResubmits: row.task_resubmits,
  }
}

/** A stored usage that does not parse (written by something else) reads as none, not as a crash. */
function parseUsage(text: string | null | undefined): TokenUsage | null {
  if (text === null || text === undefined) return null
  try {
    return TokenUsage.safeParse(JSON.parse(text)).data ?? null
  } catch {
    return null
  }
}

/** Rows read at a time while a page runs on to the end of its last batch. */
const BATCH_TAIL_CHUNK = 200

/** A fixed list of statuses as SQL (`'queued', 'running'`): the contract's constants, never input. */
function sqlList(statuses: readonly JobStatus[]): string {
  return statuses.map((status) => `'${status}'`).join(', ')
}

function prepareJobStatements(db: Database) {
  return {
    insert: db.prepare(`INSERT INTO jobs (id, batch_id, provider, params, size, size_label, prompt, status,
        attempts, max_attempts, estimated_cost, estimate_known, currency, key_id, key_env, key_label, base_url,
        created_at, updated_at, sku, batch_row)
      VALUES (@id, @batchId, @provider, @params, @size, @sizeLabel, @prompt, 'queued', 0, @maxAttempts,
        coalesce(@estimatedCost, 0), @estimatedCost IS NOT NULL, @currency, @keyId, @keyEnv, @keyLabel, @baseUrl, @createdAt, @createdAt,
        @sku, @batchRow)`),
    skusOf: db.prepare('SELECT id, sku FROM jobs WHERE id IN (SELECT value FROM json_each(?)) AND sku IS NOT NULL'),
    get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
    recent: db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?'),
    recentByStatus: db.prepare('SELECT * FROM jobs WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
    // Keyset pages (created_at, id), newest first: the jobs_by_created index serves both.
    olderThan: db.prepare(`SELECT * FROM jobs WHERE (created_at, id) < (@createdAt, @id)
        ORDER BY created_at DESC, id DESC LIMIT @limit`),
    olderThanByStatus: db.prepare(`SELECT * FROM jobs WHERE status = @status AND (created_at, id) < (@createdAt, @id)
        ORDER BY created_at DESC, id DESC LIMIT @limit`),
    byStatus: db.prepare('SELECT * FROM jobs WHERE status = ? ORDER BY created_at, id'),
    byBatch: db.prepare('SELECT * FROM jobs WHERE batch_id = ? ORDER BY created_at, id'),
    runnable: db.prepare(`SELECT * FROM jobs WHERE status = 'queued'
        AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at, rowid LIMIT ?`),
    nextWake: db.prepare(`SELECT min(next_attempt_at) AS t FROM jobs WHERE status = 'queued' AND next_attempt_at > ?`),
    claim: db.prepare(`UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = @now,
        next_attempt_at = NULL, hold_reason = NULL, held_by = NULL, updated_at = @now WHERE id = @id AND status = 'queued'`),
    setHold: db.prepare(`UPDATE jobs SET hold_reason = @reason, held_by = @budgetId, updated_at = @now
        WHERE id = @id AND status = 'queued' AND hold_reason IS NOT @reason`),
    heldCount: db.prepare(`SELECT count(*) FROM jobs WHERE status = 'queued' AND hold_reason IS NOT NULL`).pluck(),
    setTask: db.prepare(`UPDATE jobs SET remote_task_id = @taskId, updated_at = @now WHERE id = @id AND status = 'running'`),
    isRunning: db.prepare(`SELECT 1 FROM jobs WHERE id = ? AND status = 'running'`).pluck(),
    addCharge: db.prepare(`UPDATE jobs SET charged_cost = coalesce(charged_cost, 0) + coalesce(@charged, 0),
        charge_known = charge_known AND @charged IS NOT NULL, updated_at = @now
        WHERE id = @id`),
    imageCount: db.prepare('SELECT count(*) FROM images WHERE job_id = ?').pluck(),
    savedSeqs: db.prepare('SELECT seq FROM images WHERE job_id = ? ORDER BY seq').pluck(),
    taskColumn: db.prepare('SELECT remote_task_id, params FROM jobs WHERE id = ?'),
    setTasks: db.prepare(`UPDATE jobs SET remote_task_id = @tasks, updated_at = @now WHERE id = @id`),
    succeed: db.prepare(`UPDATE jobs SET status = 'succeeded', charged_cost = coalesce(charged_cost, 0), finished_at = @now,
        error_kind = NULL, error_code = NULL, error_message = NULL, updated_at = @now
        WHERE id = @id AND status = 'running'`),
    fail: db.prepare(`UPDATE jobs SET status = 'failed', error_kind = @kind, error_code = @code,
        error_message = @message, charged_cost = coalesce(charged_cost, 0), finished_at = @now, updated_at = @now
        WHERE id = @id AND status = 'running'`),
    retryLater: db.prepare(`UPDATE jobs SET status = 'queued', next_attempt_at = @at, error_kind = @kind,
        error_code = @code, error_message = @message, updated_at = @now WHERE id = @id AND status = 'running'`),
    cancel: db.prepare(`UPDATE jobs SET status = 'canceled', finished_at = @now, updated_at = @now,
        next_attempt_at = NULL, hold_reason = NULL, held_by = NULL WHERE id = @id AND status IN (${sqlList(CANCELABLE_STATUSES)})`),
    cancelBatch: db.prepare(`UPDATE jobs SET status = 'canceled', finished_at = @now, updated_at = @now,
        next_attempt_at = NULL, hold_reason = NULL, held_by = NULL WHERE batch_id = @batchId AND status IN (${sqlList(CANCELABLE_STATUSES)})`),
    // A task id still on the row is a task that may yet finish and be billed (one known to be over,
    // or recorded, was cleared then): Retry follows it instead of paying for a second submission.
    requeue: db.prepare(`UPDATE jobs SET status = 'queued', attempts = 0, next_attempt_at = NULL,
        error_kind = NULL, error_code = NULL, error_message = NULL,
        finished_at = NULL, updated_at = @now WHERE id = @id AND status IN (${sqlList(RETRYABLE_STATUSES)})`),
    // Polling a task again continues the attempt that submitted it: its claim will count it once more.
    resumeInFlight: db.prepare(`UPDATE jobs SET status = 'queued', attempts = CASE WHEN @sameAttempt THEN max(attempts - 1, 0) ELSE attempts END,
        updated_at = @now WHERE id = @id AND status = 'running'`),
    interrupt: db.prepare(`UPDATE jobs SET status = 'interrupted', error_kind = 'interrupted', error_code = NULL,
        error_message = @message, updated_at = @now WHERE id = @id AND status = 'running'`),
    counts: db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status'),
    pendingFor: db.prepare(`SELECT 1 FROM jobs WHERE provider = ? AND status IN ('queued', 'running') LIMIT 1`).pluck(),
    clearFinished: db.prepare(`DELETE FROM jobs WHERE status IN ('failed', 'canceled')
        AND NOT EXISTS (SELECT 1 FROM images WHERE images.job_id = jobs.id)`),
  }
}

/**
 * Statements over columns later migrations added (failed tasks; usage), each group made on first
 * use, so a repo over a library at an older schema (a migration test) can still be opened for what
 * it reads.
 */
function prepareFailedTaskStatements(db: Database) {
  return {
    // One statement, so no crash can leave the count without the state change or the other way
    // round: a failed task counted twice, or a resubmission the count does not know of. The
    // resubmission adds a submission, so the failed task's possible cost joins the job's estimate
    // (it may be paid for as well as the next). Old values on the right: a cost stays unknown once
    // one failed task had no price.
    taskFailed: db.prepare(`UPDATE jobs SET failed_tasks = failed_tasks + 1,
        failed_tasks_cost = CASE WHEN @cost IS NULL OR (failed_tasks > 0 AND failed_tasks_cost IS NULL) THEN NULL
          ELSE coalesce(failed_tasks_cost, 0) + @cost END,
        estimated_cost = estimated_cost + CASE WHEN @at IS NULL THEN 0 ELSE coalesce(@cost, 0) END,
        estimate_known = estimate_known AND (@at IS NULL OR @cost IS NOT NULL),
        task_resubmits = task_resubmits + (@at IS NOT NULL), remote_task_id = NULL,
        status = CASE WHEN @at IS NULL THEN 'failed' ELSE 'queued' END, next_attempt_at = @at,
        error_kind = @kind, error_code = @code, error_message = @message,
        charged_cost = CASE WHEN @at IS NULL THEN coalesce(charged_cost, 0) ELSE charged_cost END,
        finished_at = CASE WHEN @at IS NULL THEN @now ELSE finished_at END, updated_at = @now
        WHERE id = @id AND status = 'running'`),

  }
}

function prepareChargeStatements(db: Database) {
  return {
    // Calls of one job charged on different bases make it 'mixed'; a 'tokens' source is kept.
    addChargeDetails: db.prepare(`UPDATE jobs SET usage = @usage,
        charge_basis = CASE WHEN charge_basis IS NULL OR charge_basis = @basis THEN @basis ELSE 'mixed' END,
        charge_source = coalesce(@source, charge_source) WHERE id = @id`),
    usageOf: db.prepare('SELECT usage FROM jobs WHERE id = ?').pluck(),
  }
}

/**
 * Job rows and their state changes. Every transition is a single guarded UPDATE (`WHERE status
 * = ...`) so two processes, or a cancel racing a finish, can never both win.
 */
export class JobsRepo {
  private readonly s: ReturnType<typeof prepareJobStatements>
  private chargeStatements: ReturnType<typeof prepareChargeStatements> | null = null
  private failedTaskStatements: ReturnType<typeof prepareFailedTaskStatements> | null = null

  constructor(
    private readonly db: Database,
    private readonly images: ImagesRepo,
  ) {
    this.s = prepareJobStatements(db)
  }

  insertMany(jobs: readonly NewJob[]): void {
    const insert = this.s.insert!
    this.db.transaction(() => {
      for (const j of jobs) {
        // size_label is written for people reading the database; the engine reads only size (rows from
        // before the one spelling hold "16:9 2K" there, so the label is never read back).
        insert.run({ sku: null, batchRow: null, ...j, params: JSON.stringify(storedParams(j.params)), size: JSON.stringify(j.size), sizeLabel: sizeLabel(j.size) })
      }
    })()
  }

  get(id: string): JobRecord | undefined {
    const row = this.s.get.get(id) as JobRow | undefined
    return row && toRecord(row)
  }

  /** The SKUs of these jobs that came from batch rows, in one query (a gallery page at a time). */
  skusOf(ids: readonly string[]): Map<string, string> {
    const rows = this.s.skusOf.all(JSON.stringify(ids)) as { id: string; sku: string }[]
    return new Map(rows.map((r) => [r.id, r.sku]))
  }

  recent(limit: number, status?: JobStatus): JobRecord[] {
    const rows = status ? this.s.recentByStatus.all(status, limit) : this.s.recent.all(limit)
    return (rows as JobRow[]).map(toRecord)
  }

  /**
   * A page of the job list, newest first, after `before`. The page then runs on while the jobs
   * belong to the batch of its last job, so a batch is never cut in two (its jobs are made in one
   * transaction, next to each other in this order). `next` is null once nothing older is left.
   */
  page(opts: { limit: number; status?: JobStatus; before?: { createdAt: number; id: string } }): {
    jobs: JobRecord[]
    next: { createdAt: number; id: string } | null
  } {
    const read = (limit: number, before: { createdAt: number; id: string } | undefined): JobRecord[] => {
      const rows = before
        ? opts.status
          ? this.s.olderThanByStatus.all({ status: opts.status, ...before, limit })
          : this.s.olderThan.all({ ...before, limit })
        : opts.status
          ? this.s.recentByStatus.all(opts.status, limit)
          : this.s.recent.all(limit)
      return (rows as JobRow[]).map(toRecord)
    }
    const cursor = (job: JobRecord) => ({ createdAt: job.createdAt, id: job.id })
    const jobs = read(opts.limit, opts.before)
    if (jobs.length < opts.limit) return { jobs, next: null }
    const batchId = jobs.at(-1)!.batchId
    if (batchId === null) return { jobs, next: cursor(jobs.at(-1)!) }
    for (;;) {
      const more = read(BATCH_TAIL_CHUNK, cursor(jobs.at(-1)!))
      const same = more.findIndex((job) => job.batchId !== batchId)
      jobs.push(...(same === -1 ? more : more.slice(0, same)))
      if (same !== -1) return { jobs, next: cursor(jobs.at(-1)!) }
      if (more.length < BATCH_TAIL_CHUNK) return { jobs, next: null }
    }
  }

  withStatus(status: JobStatus): JobRecord[] {
    return (this.s.byStatus.all(status) as JobRow[]).map(toRecord)
  }

  inBatch(batchId: string): JobRecord[] {
    return (this.s.byBatch.all(batchId) as JobRow[]).map(toRecord)
  }

  /**
   * Queued jobs due to run, oldest first. The pump reads them on every wake-up and passes most of
   * them over (their provider is full), so each is made a whole record only when asked: parsing
   * every row's JSON and charge basis was most of a wake-up's time with a long queue.
   */
  runnable(now: number, limit: number): RunnableJob[] {
    return (this.s.runnable.all(now, limit) as JobRow[]).map((row) => {
      let record: JobRecord | undefined
      return { id: row.id, provider: row.provider, holdReason: row.hold_reason, record: () => (record ??= toRecord(row)) }
    })
  }

  /** The earliest future retry time, so the scheduler knows when to wake. */
  nextWakeAfter(now: number): number | null {
    return (this.s.nextWake.get(now) as { t: number | null }).t
  }

  /** Takes a queued job for this process; false if someone else took or canceled it first. */
  claim(id: string, now: number): boolean {
    return this.s.claim.run({ id, now }).changes === 1
  }

  /** Marks a queued job as held back (or, with null, no longer); true if that changed anything. */
  setHold(id: string, hold: { reason: string; budgetId: string } | null, now: number): boolean {
    return this.s.setHold.run({ id, reason: hold?.reason ?? null, budgetId: hold?.budgetId ?? null, now }).changes === 1
  }

  /** Queued jobs the queue holds back (budgets): they wait for a person, not for the queue. */
  heldCount(): number {
    return this.s.heldCount.get() as number
  }

  setRemoteTask(id: string, taskId: string | null, now: number): boolean {
    return this.s.setTask.run({ id, taskId, now }).changes === 1
  }

  /**
   * Records the images one provider call returned, and what that call cost, in one transaction,
   * while the job is still running. Returns false (recording nothing) when the job was canceled
   * meanwhile: the caller then removes the files it wrote. Recording per call means a retry or a
   * restart continues after the images already paid for instead of buying them again. The call's
   * remote task id is cleared here too: that task is done, and must never be fetched again.
   */
  recordImages(id: string, images: readonly ImageRecord[], charge: number | null | CallCharge, now: number): boolean {
    const details = typeof charge === 'object' && charge !== null ? charge : null
    const charged = details ? details.amount : (charge as number | null)
    return this.db.transaction(() => {
      if (!this.s.isRunning.get(id)) return false
      // The task of this call is over (read before its images count as saved, a plain id being the
      // task of the first unsaved call): it must never be fetched again. A fan-out's other tasks stay.
      const tasks = this.remoteTasks(id)
      if (images.length > 0) tasks.delete(images[0]!.seq)
      else tasks.clear()
      for (const image of images) this.images.insert(image)
      this.s.addCharge.run({ id, charged, now })
      this.s.setTasks.run({ id, tasks: formatRemoteTasks(tasks), now })
      if (details) {
        const c = (this.chargeStatements ??= prepareChargeStatements(this.db))
        const usage = addUsage(parseUsage(c.usageOf.get(id) as string | null), details.usage)
        c.addChargeDetails.run({ id, usage: usage && JSON.stringify(usage), basis: details.basis, source: details.source })
      }
      return true
    })()
  }

  /** The seqs of this job's saved images, in order (a fan-out may save them out of order). */
  savedSeqs(id: string): number[] {
    return this.s.savedSeqs.all(id) as number[]
  }

  /** The provider tasks of this job's calls, by the seq of each call's first image (see remote-tasks.ts). */
  remoteTasks(id: string): RemoteTasks {
    const row = this.s.taskColumn.get(id) as { remote_task_id: string | null; params: string } | undefined
    if (!row || row.remote_task_id === null) return new Map()
    const n = (JSON.parse(row.params) as { n: number }).n
    return parseRemoteTasks(row.remote_task_id, firstUnsavedSeq(this.savedSeqs(id), n))
  }

  /**
   * Keeps the task of one call of a fan-out (or, with SENT_WITHOUT_TASK, that it was sent), in a
   * transaction with the read so no other call's id is lost. Only while the job runs.
   */
  setCallTask(id: string, firstSeq: number, taskId: string, now: number): boolean {
    return this.db.transaction(() => {
      if (!this.s.isRunning.get(id)) return false
      const tasks = this.remoteTasks(id)
      tasks.set(firstSeq, taskId)
      this.s.setTasks.run({ id, tasks: formatRemoteTasks(tasks), now })
      return true
    })()
  }

  /** Forgets calls marked sent without a task id: a new run decides afresh what to send. */
  dropSentWithoutTask(id: string, now: number): void {
    this.db.transaction(() => {
      const tasks = this.remoteTasks(id)
      const kept = new Map([...tasks].filter(([, task]) => task !== ''))
      if (kept.size !== tasks.size) this.s.setTasks.run({ id, tasks: formatRemoteTasks(kept), now })
    })()
  }

  imageCount(id: string): number {
    return this.s.imageCount.get(id) as number
  }

  succeed(id: string, now: number): boolean {
    return this.s.succeed.run({ id, now }).changes === 1
  }

  fail(id: string, error: JobError, now: number): boolean {
    return this.s.fail.run({ id, ...error, now }).changes === 1
  }

  /** Counts a task the provider failed upstream and, in the same write, queues the job again or fails it. */
  taskFailed(id: string, failure: FailedTask, now: number): boolean {
    const { error, possibleCost, resubmitAt } = failure
    const f = (this.failedTaskStatements ??= prepareFailedTaskStatements(this.db))
    return f.taskFailed.run({ id, ...error, cost: possibleCost, at: resubmitAt, now }).changes === 1
  }

  retryLater(id: string, error: JobError, at: number, now: number): boolean {
    return this.s.retryLater.run({ id, ...error, at, now }).changes === 1
  }

  cancel(id: string, now: number): boolean {
    return this.s.cancel.run({ id, now }).changes === 1
  }

  cancelBatch(batchId: string, now: number): number {
    return this.s.cancelBatch.run({ batchId, now }).changes
  }

  requeue(id: string, now: number): boolean {
    return this.s.requeue.run({ id, now }).changes === 1
  }

  /**
   * After a restart: put a job that was in flight back in the queue (its task id is kept). With
   * `sameAttempt` (a saved task is polled again, nothing is resubmitted) the attempt count is not
   * raised, so crashes alone never use up a job's retries or show "attempt 7 of 3".
   */
  resumeInFlight(id: string, now: number, options: { sameAttempt?: boolean } = {}): boolean {
    return this.s.resumeInFlight.run({ id, now, sameAttempt: options.sameAttempt ? 1 : 0 }).changes === 1
  }

  interrupt(id: string, message: string, now: number): boolean {
    return this.s.interrupt.run({ id, message, now }).changes === 1
  }

  hasPending(provider: string): boolean {
    return this.s.pendingFor.get(provider) !== undefined
  }

  counts(): Record<JobStatus, number> {
    const counts: Record<JobStatus, number> = {
      queued: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      canceled: 0,
      interrupted: 0,
    }
    for (const row of this.s.counts.all() as { status: JobStatus; n: number }[]) counts[row.status] = row.n
    return counts
  }

  /** Removes failed and canceled jobs that produced nothing; their history is not worth keeping. */
  clearFinished(): number {
    return this.s.clearFinished.run().changes
  }
}
