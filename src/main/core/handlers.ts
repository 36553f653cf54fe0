import type { EventMessage, JobPartialImage, KeyCheckResult } from '../../shared/api'
import type { Clock } from './clock'
import { createGalleryHandlers } from './gallery/gallery-handlers'
import type { GalleryService } from './gallery/gallery-service'
import { createJobHandlers } from './generation/job-handlers'
import type { GenerationService } from './generation/generation-service'
import type { ReferenceAccess } from './media/reference-access'
import { createRefHandlers } from './media/ref-handlers'
import { createBatchHandlers } from './batches/batch-handlers'
import type { ProviderCatalog } from './providers/catalog'
import { createProviderHandlers } from './providers/provider-handlers'
import type { ProviderRegistry } from './providers/registry'
import { createQueueHandlers } from './queue/queue-handlers'
import type { JobQueue } from './queue/scheduler'
import type { Handlers } from './router'
import type { KeyVault } from './secrets'
import { createKeyHandlers } from './secrets/key-handlers'
import type { ExportService } from './export/export-service'
import { createExportHandlers } from './export/export-handlers'
import type { Calendar } from './spend/calendar'
import { createBudgetHandlers } from './spend/budget-handlers'
import { createSpendHandlers } from './spend/spend-handlers'
import type { Store } from './store/store'
import { createTemplateHandlers } from './templates/template-handlers'
import type { TemplateLibrary } from './templates/template-library'
import { createWorkspaceHandlers } from './workspace/workspace-handlers'
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

/**
 * One handler per route of the contract, each a thin call into a service. Every prefix's routes
 * come from its own feature's file (src/shared/api/README.md lists them); none are written here.
 */
export function createHandlers(d: HandlerDeps): Handlers {
  return {
    ...createProviderHandlers(d),
    ...createKeyHandlers(d),
    ...createRefHandlers(d),
    ...createJobHandlers(d),
    ...createQueueHandlers(d),
    ...createBatchHandlers(d),
    ...createGalleryHandlers(d.gallery),
    ...createTemplateHandlers(d.templates),
    ...createSpendHandlers(d),
    ...createBudgetHandlers({ ...d, budgetsChanged: () => d.queue.poke() }),
    ...createExportHandlers(d.exports),
    ...createWorkspaceHandlers(new WorkspaceMemoryStore(d.store)),
  }
}
