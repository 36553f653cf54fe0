import type { GalleryService } from './gallery/gallery-service'
import { createGalleryHandlers } from './gallery/gallery-handlers'
import { createJobHandlers, type JobHandlerDeps } from './generation/job-handlers'
import { createRefHandlers, type RefHandlerDeps } from './media/ref-handlers'
import { createBatchHandlers, type BatchHandlerDeps } from './batches/batch-handlers'
import { createPromptHandlers, type PromptHandlerDeps } from './prompts/prompt-handlers'
import { createProviderHandlers, type ProviderHandlerDeps } from './providers/provider-handlers'
import { createQueueHandlers, type QueueHandlerDeps } from './queue/queue-handlers'
import type { Handlers } from './router'
import { createKeyHandlers, type KeyHandlerDeps } from './secrets/key-handlers'
import type { ExportService } from './export/export-service'
import { createExportHandlers } from './export/export-handlers'
import { createBudgetHandlers, type BudgetHandlerDeps } from './spend/budget-handlers'
import { createSpendHandlers, type SpendHandlerDeps } from './spend/spend-handlers'
import { createTemplateHandlers } from './templates/template-handlers'
import type { TemplateLibrary } from './templates/template-library'
import { createWorkspaceHandlers } from './workspace/workspace-handlers'
import type { WorkspaceMemoryStore } from './workspace/workspace-memory'
import { createLibraryHandlers, type LibraryHandlerDeps } from './library/library-handlers'

/**
 * What each route prefix's handler factory uses, one part per prefix: engine.ts builds each part,
 * and no factory is handed another's (a factory that needs more says so in its own deps type).
 */
export interface HandlerDeps {
  providers: ProviderHandlerDeps
  keys: KeyHandlerDeps
  refs: RefHandlerDeps
  jobs: JobHandlerDeps
  queue: QueueHandlerDeps
  batches: BatchHandlerDeps
  gallery: GalleryService
  templates: TemplateLibrary
  spend: SpendHandlerDeps
  budgets: BudgetHandlerDeps
  exports: ExportService
  workspace: WorkspaceMemoryStore
  prompts: PromptHandlerDeps
  library: LibraryHandlerDeps
}

/**
 * One handler per route of the contract, each a thin call into a service. Every prefix's routes
 * come from its own feature's file (src/shared/api/README.md lists them); none are written here.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...createProviderHandlers(deps.providers),
    ...createKeyHandlers(deps.keys),
    ...createRefHandlers(deps.refs),
    ...createJobHandlers(deps.jobs),
    ...createQueueHandlers(deps.queue),
    ...createBatchHandlers(deps.batches),
    ...createGalleryHandlers(deps.gallery),
    ...createTemplateHandlers(deps.templates),
    ...createSpendHandlers(deps.spend),
    ...createBudgetHandlers(deps.budgets),
    ...createExportHandlers(deps.exports),
    ...createWorkspaceHandlers(deps.workspace),
    ...createPromptHandlers(deps.prompts),
    ...createLibraryHandlers(deps.library),
  }
}
