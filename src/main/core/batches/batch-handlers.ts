import type { Handlers } from '../router'
import { BatchService, type BatchDeps } from './batch-service'

type BatchRouteName = 'batches.preview' | 'batches.run' | 'batches.status'

/** The SKU batch routes (batches.cancel and batches.retryFailed stay with the queue's routes). */
export function createBatchHandlers(deps: BatchDeps): Pick<Handlers, BatchRouteName> {
  const batches = new BatchService(deps)
  return {
    'batches.preview': (input) => batches.preview(input),
    'batches.run': (input) => batches.run(input),
    'batches.status': (input) => batches.status(input.batchId),
  }
}
