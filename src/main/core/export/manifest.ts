import type { ManifestFormat, OutputFormat } from '../../../shared/api'

/**
 * The manifest that travels with an export: one row per written file, so a shop import or a
 * CMS script can match files to products and an accountant can see what they cost. It names
 * the key that paid by its label only; no secret is ever in reach of this module.
 */

export interface ManifestRow {
  file: string
  sku: string
  name: string
  output: string
  prompt: string
  revisedPrompt: string | null
  provider: string
  keyLabel: string | null
  width: number
  height: number
  format: OutputFormat
  bytes: number
  sha256: string
  /** The source image's share of its job's cost (the job's cost over its images). */
  estimatedCost: number | null
  chargedCost: number | null
  currency: string
  sourceImageId: string
  jobId: string
  batchId: string | null
  createdAt: string
}

const COLUMNS: [string, (r: ManifestRow) => string | number | null][] = [
  ['file', (r) => r.file],
  ['sku', (r) => r.sku],
  ['name', (r) => r.name],
  ['output', (r) => r.output],
  ['prompt', (r) => r.prompt],
  ['revised_prompt', (r) => r.revisedPrompt],
  ['provider', (r) => r.provider],
  ['key_label', (r) => r.keyLabel],
  ['size', (r) => `${r.width}x${r.height}`],
  ['width', (r) => r.width],
  ['height', (r) => r.height],
  ['format', (r) => r.format],
  ['bytes', (r) => r.bytes],
  ['sha256', (r) => r.sha256],
  ['estimated_cost', (r) => r.estimatedCost],
  ['charged_cost', (r) => r.chargedCost],
  ['currency', (r) => r.currency],
  ['source_image_id', (r) => r.sourceImageId],
  ['job_id', (r) => r.jobId],
  ['batch_id', (r) => r.batchId],
  ['created_at', (r) => r.createdAt],
]

export const MANIFEST_COLUMNS = COLUMNS.map(([name]) => name)

/**
 * A text cell that starts like a formula (=, +, -, @, or a tab or carriage return before one) is
 * run as one by Excel, LibreOffice and Sheets: a prompt or SKU from a CSV someone sent could then
 * fetch URLs or run commands when the manifest is opened. A leading apostrophe makes the cell
 * plain text in all three. Numbers (sizes, bytes, costs) are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/

function textCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF rows. */
function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value) : textCell(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function manifestText(format: ManifestFormat, rows: readonly ManifestRow[], meta: { exportedAt: string; selection: unknown }): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        exportedAt: meta.exportedAt,
        selection: meta.selection,
        files: rows.map((r) => Object.fromEntries(COLUMNS.map(([name, get]) => [name, get(r)]))),
      },
      null,
      2,
    )}\n`
  }
  // A byte order mark, so Excel reads the UTF-8 prompts correctly; other CSV readers skip it.
  const lines = [MANIFEST_COLUMNS.join(','), ...rows.map((r) => COLUMNS.map(([, get]) => csvField(get(r))).join(','))]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
