import { randomUUID } from 'node:crypto'
import {
  ApiError,
  badInput,
  sizeLabel,
  sumMoney,
  type BatchInput,
  type BatchPreview,
  type BatchProgress,
  type EventMessage,
} from '../../../shared/api'
import type { Clock } from '../clock'
import type { GenerationService } from '../generation/generation-service'
import type { ReferenceAccess } from '../media/reference-access'
import type { JobQueue } from '../queue/job-queue'
import type { ProviderRegistry } from '../providers/registry'
import { budgetStatus } from '../spend/budget-rules'
import type { Calendar } from '../spend/calendar'
import type { Store } from '../store/store'
import { planBatch, previewOf } from './batch-plan'

export interface BatchDeps {
  store: Store
  providers: ProviderRegistry
  generation: GenerationService
  queue: Pick<JobQueue, 'poke'>
  clock: Clock
  calendar: Calendar
  emit(message: EventMessage): void
  /** Which local files a reference cell may name through this door. */
  references: ReferenceAccess
}

/**
 * Runs SKU batches: checks and prices a table (preview), queues its valid rows with the batch's
 * budget cap in one transaction (so the queue never sees a job of the batch without its cap), and
 * reports progress. Callers must not queue batch rows any other way: the plan is the one place
 * that decides what a row means.
 */
export class BatchService {
  constructor(private readonly deps: BatchDeps) {}

  private plan(input: BatchInput) {
    return planBatch(input, this.deps.providers.get(input.settings.provider).profile, this.deps.references)
  }

  preview(input: BatchInput): BatchPreview {
    const preview = previewOf(this.plan(input))
    // Said before anything runs: a stored key bound to another host refuses every row alike.
    const keyProblem = this.deps.generation.storedKeyElsewhere(input.settings)
    return keyProblem ? { ...preview, problems: [...preview.problems, `${keyProblem.message} ${keyProblem.fix ?? ''}`.trim()] } : preview
  }

  run(input: BatchInput): { batchId: string; preview: BatchPreview; jobIds: string[] } {
    const keyProblem = this.deps.generation.storedKeyElsewhere(input.settings)
    if (keyProblem) throw keyProblem
    const plan = this.plan(input)
    const [problem] = plan.problems
    if (problem) throw badInput('table', problem, 'Fix the table and preview it again.')
    if (plan.validRows === 0) {
      const first = plan.rows.find((r) => r.problems.length > 0)
      const detail = first ? ` Row ${first.row}, ${first.problems[0]!.field}: ${first.problems[0]!.message}` : ''
      throw badInput('table', `No row of the table can run.${detail}`, 'Fix the rows marked in the preview.')
    }
    const batchId = `batch_${randomUUID()}`
    const now = this.deps.clock.now()
    const profile = this.deps.providers.get(input.settings.provider).profile
    const jobIds: string[] = []
    this.deps.store.transaction(() => {
      this.deps.store.batches.insert({
        id: batchId,
        name: input.name ?? `${plan.templateName}${plan.sourceName ? ` × ${plan.sourceName}` : ''}`,
        budget: input.budget ?? null,
        templateName: plan.templateName,
        sourceName: plan.sourceName,
        createdAt: now,
      })
      for (const row of plan.rows) {
        if (!row.checked) continue
        // The plan checked, priced and admitted this row's files moments ago, in this same call.
        const queued = this.deps.generation.queueChecked(row.checked, { batchId, sku: row.sku, batchRow: row.row })
        jobIds.push(...queued.jobs.map((j) => j.id))
      }
      if (input.budget !== undefined) {
        this.deps.store.budgets.set({
          id: `budget_${randomUUID()}`,
          scope: { kind: 'batch', batchId, period: 'total' },
          amount: input.budget,
          currency: profile.pricing.currency,
          now,
        })
      }
    })
    for (const id of jobIds) this.deps.emit({ event: 'job.updated', data: this.deps.generation.view(this.deps.store.jobs.get(id)!) })
    this.deps.queue.poke()
    return { batchId, preview: previewOf(plan), jobIds }
  }

  status(batchId: string): BatchProgress {
    const batch = this.deps.store.batches.get(batchId)
    if (!batch) throw new ApiError('not_found', `No batch with id ${batchId}.`, { field: 'batchId', remedy: { code: 'known_id', of: 'batch' } })
    const jobs = this.deps.store.jobs.inBatch(batchId)
    const count = (test: (j: (typeof jobs)[number]) => boolean) => jobs.filter(test).length
    const held = jobs.filter((j) => j.status === 'queued' && j.holdReason !== null)
    const finished = jobs.filter((j) => j.status === 'succeeded' || j.status === 'failed')
    const budget = this.deps.store.budgets.list().find((b) => b.scope.kind === 'batch' && b.scope.batchId === batchId)
    const estimates = jobs.map((j) => j.estimatedCost)
    return {
      batchId,
      name: batch.name,
      templateName: batch.templateName,
      sourceName: batch.sourceName,
      createdAt: batch.createdAt,
      currency: jobs[0]?.currency ?? 'USD',
      jobs: jobs.length,
      done: count((j) => j.status === 'succeeded'),
      failed: count((j) => j.status === 'failed'),
      canceled: count((j) => j.status === 'canceled'),
      running: count((j) => j.status === 'running'),
      remaining: count((j) => j.status === 'queued' || j.status === 'interrupted'),
      held: held.length,
      spent: sumMoney(finished.map((j) => j.chargedCost ?? 0)),
      unknownCharges: count((j) => j.status === 'succeeded' && j.chargedCost === null),
      estimated: estimates.some((e) => e === null) ? null : sumMoney(estimates as number[]),
      budget: budget
        ? budgetStatus(this.deps.store.spend, this.deps.calendar, this.deps.clock.now(), budget, this.deps.store.spend.heldByBudget())
        : null,
      heldReason: held[0]?.holdReason ?? null,
      failures: jobs
        .filter((j) => j.status === 'failed')
        .map((j) => ({ jobId: j.id, row: j.batchRow, sku: j.sku, size: sizeLabel(j.size), message: j.errorMessage ?? 'failed' })),
    }
  }
}
