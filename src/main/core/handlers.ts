import { ApiError, type EventMessage } from '../../shared/api'
import { createGalleryHandlers } from './gallery/gallery-handlers'
import type { GalleryService } from './gallery/gallery-service'
import type { GenerationService } from './generation/generation-service'
import { importReference } from './media/reference-store'
import type { ProviderCatalog } from './providers/catalog'
import type { ProviderRegistry } from './providers/registry'
import { summarize } from './providers/registry'
import type { JobQueue } from './queue/scheduler'
import type { Handlers } from './router'
import type { KeyVault } from './secrets'
import type { Store } from './store/store'

export interface HandlerDeps {
  home: string
  store: Store
  providers: ProviderRegistry
  catalog: ProviderCatalog
  generation: GenerationService
  queue: JobQueue
  gallery: GalleryService
  getVault(): Promise<KeyVault>
  emit(message: EventMessage): void
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
      return summarize(d.providers.get(input.id))
    },
    'providers.remove': (input) => ({ removed: d.catalog.remove(input.id) }),

    'keys.list': async () => {
      const vault = await d.getVault()
      return { keys: await vault.list(), status: vault.status }
    },
    'keys.add': async (input) => {
      // An unknown provider is refused with the list of known ones.
      if (d.providers.get(input.provider).profile.auth === 'none') {
        throw new ApiError('bad_input', `${input.provider} needs no key.`, { field: 'provider' })
      }
      return (await d.getVault()).add(input)
    },
    'keys.remove': async (input) => ({ removed: await (await d.getVault()).remove(input.id) }),

    'refs.import': (input) => importReference(d.home, input.name, input.base64),
    'jobs.estimate': (input) => d.generation.estimate(input),
    'jobs.generate': (input) => {
      const result = d.generation.generate(input)
      for (const j of result.jobs) d.emit({ event: 'job.updated', data: j })
      d.queue.poke()
      return result
    },
    'jobs.list': (input) => ({ jobs: d.store.jobs.recent(input.limit, input.status).map((j) => d.generation.view(j)) }),
    'jobs.get': (input) => d.generation.view(job(input.id)),
    'jobs.cancel': (input) => {
      const found = job(input.id)
      if (!d.queue.cancel(found.id) && found.status !== 'canceled') {
        throw new ApiError('conflict', `The job is already ${found.status}; there is nothing to cancel.`, { field: 'id' })
      }
      return d.generation.view(job(input.id))
    },
    'jobs.retry': (input) => {
      const found = job(input.id)
      if (!d.queue.retryJob(found.id)) {
        throw new ApiError('conflict', `The job is ${found.status}; only failed, canceled or interrupted jobs can be retried.`, { field: 'id' })
      }
      return d.generation.view(job(input.id))
    },
    'batches.cancel': (input) => ({ canceled: d.queue.cancelBatch(input.batchId) }),
    'queue.state': () => d.queue.state(),
    'queue.pause': () => d.queue.pause(),
    'queue.resume': () => d.queue.resume(),
    'queue.clearFinished': () => {
      d.store.jobs.clearFinished()
      return { ok: true as const }
    },

    ...createGalleryHandlers(d.gallery),
  }
}
