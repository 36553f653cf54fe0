import { z } from 'zod'
import { onFirstUse } from './on-first-use'
import { GenerationParams, Quality } from './generation'
import { SizeSpec } from './size'
import { TemplateFields } from './templates'
import { BudgetStatus, MAX_BUDGET_AMOUNT } from './budgets'
import { Retried } from './queue'
import { route } from './route'

/**
 * SKU batches: a table of rows x a prompt template x a set of sizes. `batches.preview` prices and
 * checks every row without queueing anything; `batches.run` does the same checks again and queues
 * the valid rows in one transaction, with the batch's budget cap in place before any job can start.
 */

export const MAX_BATCH_ROWS = 5000
/** Far more than any product sheet needs; a wider table is a wrong file (or a wrong separator). */
export const MAX_BATCH_COLUMNS = 200
export const MAX_BATCH_TABLE_CHARS = 10_000_000

/** The columns a table may carry besides the template's variables (matched case-insensitively). */
export const BATCH_COLUMNS = ['sku', 'reference', 'sizes', 'count', 'quality'] as const
export type BatchColumn = (typeof BATCH_COLUMNS)[number]

/** What every row gets unless its own columns say otherwise. */
export const BatchSettings = onFirstUse(() => GenerationParams.omit({ prompt: true, refs: true, mask: true, template: true }).extend({
  sizes: z.array(SizeSpec).min(1, 'pick at least one size').max(24),
}))
export type BatchSettings = z.infer<typeof BatchSettings>

export const BatchInput = onFirstUse(() => z.strictObject({
  template: TemplateFields,
  /** The table's text: a CSV file's contents, or cells pasted from a spreadsheet. */
  table: z.string().max(MAX_BATCH_TABLE_CHARS, 'the table is larger than 10 MB'),
  /** The file the rows came from, kept with the batch (a name, not a path the engine reads). */
  sourceName: z.string().trim().max(255).optional(),
  /** Where a relative path in the reference column starts from (the CLI passes the CSV's folder). */
  baseDir: z.string().min(1).optional(),
  settings: BatchSettings,
  /** A cap on what the whole batch may spend, in the provider's currency. */
  budget: z.number({ error: 'budget must be a number' }).nonnegative('budget cannot be negative').max(MAX_BUDGET_AMOUNT).optional(),
  name: z.string().trim().min(1).max(120).optional(),
}))
export type BatchInput = z.infer<typeof BatchInput>
export type BatchInputDraft = z.input<typeof BatchInput>

export const BatchRowProblem = onFirstUse(() => z.object({
  /** A variable name, one of BATCH_COLUMNS, or 'row' for the row as a whole. */
  field: z.string(),
  message: z.string(),
}))
export type BatchRowProblem = z.infer<typeof BatchRowProblem>

export const BatchPreviewRow = onFirstUse(() => z.object({
  /** The row number a spreadsheet shows (the header is row 1). */
  row: z.number().int(),
  sku: z.string().nullable(),
  /** The final prompt (with `{{name}}` left in place where a value is missing). */
  prompt: z.string(),
  sizes: z.array(z.string()),
  count: z.number().int(),
  quality: Quality,
  reference: z.string().nullable(),
  /** Price per size for this row; null where the profile has no price. */
  lines: z.array(z.object({ size: z.string(), subtotal: z.number().nullable() })),
  /** The row's estimate, exactly what jobs.estimate says for it; null when unpriced or invalid. */
  cost: z.number().nullable(),
  /** Empty for a row that will run. */
  problems: z.array(BatchRowProblem),
}))
export type BatchPreviewRow = z.infer<typeof BatchPreviewRow>

export const BatchPreview = onFirstUse(() => z.object({
  templateName: z.string(),
  sourceName: z.string().nullable(),
  delimiter: z.enum(['comma', 'tab', 'semicolon']),
  columns: z.array(
    z.object({
      header: z.string(),
      /** A batch column, or 'variable', or 'unmatched'. */
      role: z.enum(['sku', 'reference', 'sizes', 'count', 'quality', 'variable', 'unmatched']),
      /** The template variables this column fills (a batch column may fill one too). */
      variables: z.array(z.string()),
    }),
  ),
  unmatchedHeaders: z.array(z.string()),
  /** Variables no column fills; with a default that is fine, without one every row is invalid. */
  unfilledVariables: z.array(z.object({ name: z.string(), default: z.string().nullable() })),
  /** Problems with the table as a whole; nothing runs while there are any. */
  problems: z.array(z.string()),
  provider: z.string(),
  currency: z.string(),
  /** The batch's default sizes; a row's sizes column may replace them. */
  sizes: z.array(z.string()),
  rows: z.array(BatchPreviewRow),
  validRows: z.number().int(),
  invalidRows: z.number().int(),
  /** Jobs the valid rows make (one per row and size). */
  jobs: z.number().int(),
  /** Sum of the valid rows' costs; null when any valid row is unpriced. */
  total: z.number().nullable(),
  budget: z.number().nullable(),
}))
export type BatchPreview = z.infer<typeof BatchPreview>

export const BatchProgress = onFirstUse(() => z.object({
  batchId: z.string(),
  name: z.string().nullable(),
  templateName: z.string().nullable(),
  sourceName: z.string().nullable(),
  createdAt: z.number(),
  currency: z.string(),
  jobs: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  canceled: z.number().int(),
  running: z.number().int(),
  /** Queued or interrupted, not yet run; includes held jobs. */
  remaining: z.number().int(),
  /** Of the remaining jobs, those a budget holds back. */
  held: z.number().int(),
  /** Charged so far where known. */
  spent: z.number(),
  /** Jobs whose charge is unknown (not in `spent`). */
  unknownCharges: z.number().int(),
  estimated: z.number().nullable(),
  budget: BudgetStatus.nullable(),
  /** Why held jobs wait, once (they all wait for the same budget). */
  heldReason: z.string().nullable(),
  failures: z.array(
    z.object({ jobId: z.string(), row: z.number().int().nullable(), sku: z.string().nullable(), size: z.string(), message: z.string() }),
  ),
}))
export type BatchProgress = z.infer<typeof BatchProgress>

const BatchId = onFirstUse(() => z.strictObject({ batchId: z.string().min(1) }))

export const batchRoutes = onFirstUse(() => ({
  'batches.preview': route(BatchInput, BatchPreview),
  'batches.run': route(BatchInput, z.object({ batchId: z.string(), preview: BatchPreview, jobIds: z.array(z.string()) })),
  'batches.status': route(BatchId, BatchProgress),
  /** The failed (and interrupted) jobs of one batch, back in the queue; done, canceled and queued jobs stay as they are. */
  'batches.retryFailed': route(BatchId, Retried),
  /** Cancels the batch's queued, running and interrupted jobs; says how many. */
  'batches.cancel': route(BatchId, z.object({ canceled: z.number().int() })),
} as const))
