import { ApiError, type EventMessage, type JobPartialImage, type KeyCheckResult } from '../../shared/api'
import type { Clock } from './clock'
import { createGalleryHandlers } from './gallery/gallery-handlers'
import type { GalleryService } from './gallery/gallery-service'
import type { GenerationService } from './generation/generation-service'
import type { ReferenceAccess } from './media/reference-access'
import { describeReferences, importReference } from './media/reference-store'
import { createBatchHandlers } from './batches/batch-handlers'
import type { ProviderCatalog } from './providers/catalog'
import type { ProviderRegistry } from './providers/registry'
import { summarize } from './providers/registry'
import { createQueueHandlers } from './queue/queue-handlers'
import type { JobQueue } from './queue/scheduler'
import type { Handlers } from './router'
import type { KeyVault } from './secrets'
import type { ExportService } from './export/export-service'
import { createExportHandlers } from './export/export-handlers'
import type { Calendar } from './spend/calendar'
import { createSpendHandlers, withBudgetWarnings } from './spend/spend-handlers'
import type { Store } from './store/store'
import { createTemplateHandlers } from './templates/template-handlers'
import type { TemplateLibrary } from './templates/template-library'
import { createWorkspaceHandlers } from './workspace/workspace-handlers'
import { endpointHostOf } from '../../shared/api'
import { keysLeftBehind } from './secrets/key-endpoint'
import { WorkspaceMemoryStore } from './workspace/workspace-memory'

export interface HandlerDeps {
  home: string
  store: Store
  providers: ProviderRegistry
  catalog: ProviderCatalog
  generation: GenerationService
  queue: JobQueue
  /** Latest streamed partial per running job (only in the process that runs the queue). */
  partials: { get(jobId: string): JobPartialImage | null }
  templates: TemplateLibrary
  gallery: GalleryService
  getVault(): Promise<KeyVault>
  /** Checks a stored key with its provider, only where that is free. */
  testKey(id: string): Promise<KeyCheckResult>
  emit(message: EventMessage): void
  clock: Clock
  /** Local days for spend and daily budgets. */
  calendar: Calendar
  exports: ExportService
  /** Which local files requests through this engine's door may name as references or masks. */
  references: ReferenceAccess
}

/** One handler per route of the contract; each is a thin call into a service. */
export function createHandlers(d: HandlerDeps): Handlers {
  const job = (id: string) => {
    const found = d.store.jobs.get(id)
    if (!found) throw new ApiError('not_found', `No job with id ${id}.`, { field: 'id', fix: 'List jobs with "proofsheet queue".' })
    return found
  }
  return {
    'providers.list': () => ({ providers: d.providers.list().map(summarize) }),
    'providers.save': (input) => {
      d.catalog.save(input)
      const saved = d.providers.get(input.id)
      return { ...summarize(saved), keyNotice: keysLeftBehind(saved.profile, d.store.keys.list()) }
    },
    'providers.remove': (input) => ({ removed: d.catalog.remove(input.id) }),

    'keys.list': async () => {
      const vault = await d.getVault()
      return { keys: await vault.list(), status: vault.status }
    },
    'keys.add': async (input) => {
      // An unknown provider is refused with the list of known ones.
      if (d.providers.get(input.provider).profile.auth === 'none') {
        throw new ApiError('bad_input', `${input.provider} needs no key.`, { field: 'provider', fix: 'Add keys for providers that need one; see providers.list (needsKey).' })
      }
      // The key is bound to where its provider points now: it is sent nowhere else.
      return (await d.getVault()).add({ ...input, host: endpointHostOf(d.providers.get(input.provider).profile.baseUrl) })
    },
    'keys.remove': async (input) => ({ removed: await (await d.getVault()).remove(input.id) }),
    'keys.rotate': async (input) => {
      const vault = await d.getVault()
      // Entering the key again is how a key follows its provider to a new base URL.
      const provider = vault.providerOf(input.id)
      const profile = provider && d.providers.has(provider) ? d.providers.get(provider).profile : null
      return vault.rotate(input.id, input.secret, profile ? endpointHostOf(profile.baseUrl) : null)
    },
    'keys.test': (input) => d.testKey(input.id),

    'refs.import': (input) => importReference(d.home, input.name, input.base64),
    'refs.describe': async (input) => ({ references: await describeReferences(d.home, input.paths) }),
    'jobs.estimate': (input) => withBudgetWarnings(d, input, d.generation.keyLabelFor(input), d.generation.estimate(input)),
    'jobs.generate': (input) => {
      const result = d.generation.generate(input)
      for (const j of result.jobs) d.emit({ event: 'job.updated', data: j })
      d.queue.poke()
      return result
    },
    'jobs.list': (input) => {
      const page = d.store.jobs.page(input)
      return { jobs: page.jobs.map((j) => d.generation.view(j)), next: page.next }
    },
    'jobs.get': (input) => d.generation.view(job(input.id)),
    'jobs.partialPreview': (input) => ({ partial: d.partials.get(job(input.id).id) }),
    'jobs.cancel': (input) => {
      const found = job(input.id)
      if (!d.queue.cancel(found.id) && found.status !== 'canceled') {
        throw new ApiError('conflict', `The job is already ${found.status}; there is nothing to cancel.`, { field: 'id', fix: 'Cancel only queued, running or interrupted jobs.' })
      }
      return d.generation.view(job(input.id))
    },
    'jobs.retry': (input) => {
      const found = job(input.id)
      if (!d.queue.retryJob(found.id)) {
        throw new ApiError('conflict', `The job is ${found.status}; only failed, canceled or interrupted jobs can be retried.`, { field: 'id', fix: 'Wait for the job to end, or generate it again.' })
      }
      return d.generation.view(job(input.id))
    },
    'batches.cancel': (input) => ({ canceled: d.queue.cancelBatch(input.batchId) }),
    'queue.state': () => d.queue.state(),
    'queue.pause': () => d.queue.pause(),
    'queue.resume': () => d.queue.resume(),
    'queue.clearFinished': () => {
      d.queue.clearFinished()
      return { ok: true as const }
    },

    ...createGalleryHandlers(d.gallery),
    ...createTemplateHandlers(d.templates),
    ...createQueueHandlers(d),

    ...createSpendHandlers({ ...d, budgetsChanged: () => d.queue.poke() }),
    ...createExportHandlers(d.exports),
    ...createBatchHandlers(d),
    ...createWorkspaceHandlers(new WorkspaceMemoryStore(d.store)),
  }
}
