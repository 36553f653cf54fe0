import { ApiError, type JobPartialImage, type EventMessage, type jobRoutes } from '../../../shared/api'
import type { JobQueue } from '../queue/job-queue'
import type { Handlers } from '../router'
import { withBudgetWarnings, type BudgetWarningDeps } from '../spend/budget-warnings'
import type { Store } from '../store/store'
import type { GenerationService } from './generation-service'

export interface JobHandlerDeps extends BudgetWarningDeps {
  store: Pick<Store, 'jobs' | 'budgets' | 'spend'>
  generation: GenerationService
  queue: Pick<JobQueue, 'poke' | 'cancel' | 'retryJob'>
  /** Latest streamed partial per running job (only in the process that runs the queue). */
  partials: { get(jobId: string): JobPartialImage | null }
  emit(message: EventMessage): void
}

/** The jobs.* routes: price, queue, list and act on single jobs. */
export function createJobHandlers(deps: JobHandlerDeps): Pick<Handlers, keyof typeof jobRoutes> {
  const job = (id: string) => {
    const found = deps.store.jobs.get(id)
    if (!found) throw new ApiError('not_found', `No job with id ${id}.`, { field: 'id', remedy: { code: 'known_id', of: 'job' } })
    return found
  }
  return {
    'jobs.estimate': (input) => withBudgetWarnings(deps, input, deps.generation.keyLabelFor(input), deps.generation.estimate(input)),
    'jobs.generate': (input) => {
      const result = deps.generation.generate(input)
      for (const j of result.jobs) deps.emit({ event: 'job.updated', data: j })
      deps.queue.poke()
      return result
    },
    'jobs.rerun': (input) => {
      const result = deps.generation.rerun(job(input.id))
      for (const j of result.jobs) deps.emit({ event: 'job.updated', data: j })
      deps.queue.poke()
      return result
    },
    'jobs.list': (input) => {
      const page = deps.store.jobs.page(input)
      return { jobs: page.jobs.map((j) => deps.generation.view(j)), next: page.next }
    },
    'jobs.get': (input) => deps.generation.view(job(input.id)),
    'jobs.partialPreview': (input) => ({ partial: deps.partials.get(job(input.id).id) }),
    'jobs.cancel': (input) => {
      const found = job(input.id)
      if (!deps.queue.cancel(found.id) && found.status !== 'canceled') {
        throw new ApiError('conflict', `The job is already ${found.status}; there is nothing to cancel.`, { field: 'id', fix: 'Cancel only queued, running or interrupted jobs.' })
      }
      return deps.generation.view(job(input.id))
    },
    'jobs.retry': (input) => {
      const found = job(input.id)
      if (!deps.queue.retryJob(found.id)) {
        throw new ApiError('conflict', `The job is ${found.status}; only failed, canceled or interrupted jobs can be retried.`, { field: 'id', fix: 'Wait for the job to end, or generate it again.' })
      }
      return deps.generation.view(job(input.id))
    },
  }
}
