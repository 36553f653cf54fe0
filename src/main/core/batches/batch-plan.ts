import { accessSync, constants, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import {
  ApiError,
  MAX_BATCH_COLUMNS,
  MAX_BATCH_ROWS,
  parseSizeText,
  promptTextProblem,
  referenceText,
  Quality,
  sizeLabel,
  sumMoney,
  type BatchColumn,
  type BatchInput,
  type BatchPreview,
  type BatchPreviewRow,
  type BatchRowProblem,
  type GenerationRequest,
  type LocalReference,
  type SizeSpec,
} from '../../../shared/api'
import { readRowTable, rowWidthProblem, type Delimiter } from '../../../shared/batches/row-table'
import { describeTemplateProblem, listNames, ownValue, parseTemplate, renderTemplate, variableRecord } from '../../../shared/templates/template-text'
import { estimate } from '../pricing/estimate'
import type { ReferenceAccess } from '../media/reference-access'
import type { ProviderProfile } from '../providers/profile'
import { localReference, referenceFromText } from '../../../shared/references/reference-text'
import { checkRequest, type CheckedRequest } from '../generation/checked-request'

/**
 * Expands a batch table into one generation request per row, and says for each row what it will
 * cost or why it cannot run. The preview and the run both come from here, so what runs is exactly
 * what was previewed. Reads reference files only to check they exist: nothing is sent anywhere.
 */

export interface PlannedRow extends BatchPreviewRow {
  /** The checked and priced request this row queues; null for an invalid row. */
  checked: CheckedRequest | null
}

export interface BatchPlan extends Omit<BatchPreview, 'rows'> {
  rows: PlannedRow[]
}

const DELIMITER_NAMES: Record<Delimiter, BatchPreview['delimiter']> = { ',': 'comma', '\t': 'tab', ';': 'semicolon' }

/** "Product Name", "product-name" and "product_name" all match {{product_name}}. */
export function headerKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s-]+/g, '_')
}

/** Aliases people write for the batch columns. */
const COLUMN_ALIASES: Record<string, BatchColumn> = {
  sku: 'sku',
  reference: 'reference',
  ref: 'reference',
  reference_image: 'reference',
  sizes: 'sizes',
  size: 'sizes',
  count: 'count',
  n: 'count',
  quality: 'quality',
}

interface ColumnMatch {
  header: string
  index: number
  role: BatchPreview['columns'][number]['role']
  variables: string[]
}

function matchColumns(headers: readonly string[], variables: readonly string[]): ColumnMatch[] {
  return headers.map((header, index) => {
    const key = headerKey(header)
    const matched = variables.filter((v) => headerKey(v) === key)
    // A header such as "constructor" must not find Object.prototype's member.
    const column = key && Object.hasOwn(COLUMN_ALIASES, key) ? COLUMN_ALIASES[key] : undefined
    const role = column ?? (matched.length > 0 ? 'variable' : 'unmatched')
    return { header, index, role, variables: matched }
  })
}

function duplicateHeaders(columns: readonly ColumnMatch[]): string[] {
  const seen = new Map<string, string>()
  const problems: string[] = []
  for (const c of columns) {
    const key = headerKey(c.header)
    if (!key) continue
    const first = seen.get(key)
    if (first !== undefined) problems.push(`The columns "${first}" and "${c.header}" have the same name; rename or remove one.`)
    else seen.set(key, c.header)
  }
  return problems
}

function parseSizesCell(text: string): { sizes: SizeSpec[] } | { problem: string } {
  const sizes: SizeSpec[] = []
  for (const token of text.split(/[;,|\s]+/).filter(Boolean)) {
    const size = parseSizeText(token)
    if (!size) return { problem: `"${token}" is not a size; write sizes like 1024x1024 or 16:9@2K, separated by ";".` }
    sizes.push(size)
  }
  return sizes.length > 0 ? { sizes } : { problem: 'is blank; leave the column out to use the batch sizes.' }
}

function checkReferenceFile(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return `${path} is not a file.`
    accessSync(path, constants.R_OK)
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? `${path} does not exist.` : `${path} cannot be read (${code ?? (err as Error).message}).`
  }
}

/** Why a row's reference file cannot be used: the door's access rule first, so a refusal says nothing about the disk. */
function admittedFileProblem(references: ReferenceAccess, ref: LocalReference): string | null {
  const path = ref.path
  try {
    references.admit('refs', ref)
  } catch (err) {
    // Worded for a batch: a batch table names references by link or path, never through a picker.
    if (err instanceof ApiError) return `The reference image ${path.length > 120 ? `${path.slice(0, 117)}...` : path} is not a reference image stored in this library; use an https link in the reference column, or run the batch from the command line, which may read local files.`
    throw err
  }
  const problem = checkReferenceFile(path)
  return problem ? `The reference image ${problem}` : null
}

/** A thrown bad_input from the provider rules becomes a row problem naming the field. */
function providerProblem(err: unknown): BatchRowProblem {
  if (err instanceof ApiError) {
    const field = err.field === 'refs' ? 'reference' : err.field === 'n' ? 'count' : err.field === 'size' || err.field === 'resolution' ? 'sizes' : (err.field ?? 'row')
    return { field, message: err.fix ? `${err.message} ${err.fix}` : err.message }
  }
  throw err
}

/** `references`: which local files this door may name (a reference cell from the interface: stored ones only). */
export function planBatch(input: BatchInput, profile: ProviderProfile, references: ReferenceAccess): BatchPlan {
  const table = readRowTable(input.table)
  const parsedTemplate = parseTemplate(input.template.body)
  const variables = parsedTemplate.variables
  // Only the first MAX_BATCH_COLUMNS are read: a 100,000-column file must not make a preview that size.
  const columns = matchColumns(table.headers.slice(0, MAX_BATCH_COLUMNS), variables)
  const problems = [...table.problems, ...duplicateHeaders(columns)]
  if (table.headers.length > MAX_BATCH_COLUMNS) {
    problems.push(`The table has ${table.headers.length} columns; a batch reads at most ${MAX_BATCH_COLUMNS}. Remove the columns it does not use, or check the separator.`)
  }
  for (const error of parsedTemplate.errors) problems.push(`The template "${input.template.name}": ${error.message}. ${error.fix}`)
  if (table.rows.length > MAX_BATCH_ROWS) {
    problems.push(`The table has ${table.rows.length} rows; a batch takes at most ${MAX_BATCH_ROWS}. Split it into several files.`)
  }
  if (profile.id !== input.settings.provider) throw new Error('planBatch: the profile does not match the settings')

  const filled = new Set(columns.flatMap((c) => c.variables))
  const defaults = input.template.defaults
  const unfilledVariables = variables
    .filter((v) => !filled.has(v))
    .map((name) => ({ name, default: ownValue(defaults, name)?.trim() ? ownValue(defaults, name)! : null }))
  const columnOf = (role: BatchColumn) => columns.find((c) => c.role === role)

  const skuRows = new Map<string, number>()
  const rows = table.rows.slice(0, MAX_BATCH_ROWS).map((raw): PlannedRow => {
    const rowProblems: BatchRowProblem[] = []
    const cell = (c: ColumnMatch | undefined): string | undefined => (c ? raw.cells[c.index]?.trim() || undefined : undefined)
    const width = rowWidthProblem(table.headers, raw.cells)
    if (width) rowProblems.push({ field: 'row', message: `Row ${raw.row} ${width}` })

    const values = variableRecord(columns.flatMap((c) => c.variables.map((v) => [v, raw.cells[c.index] ?? ''] as const)))
    const rendered = renderTemplate(parsedTemplate, values, defaults)
    for (const name of rendered.missing) {
      const column = columns.find((c) => c.variables.includes(name))
      rowProblems.push({
        field: name,
        message: column
          ? `"${column.header}" is empty on this row and the template has no default for {{${name}}}.`
          : `No column fills {{${name}}} and the template has no default for it; add a "${name}" column.`,
      })
    }
    if (rendered.errors.length === 0 && rendered.missing.length === 0 && !rendered.text.trim()) {
      rowProblems.push({ field: 'row', message: describeTemplateProblem(rendered) ?? 'The prompt is empty.' })
    } else if (rendered.missing.length === 0) {
      // The same rule jobs.generate applies to a typed prompt: a cell cannot smuggle in a NUL.
      const textProblem = promptTextProblem(rendered.text.trim())
      if (textProblem) rowProblems.push({ field: 'row', message: `The final ${textProblem}.` })
    }

    const sku = cell(columnOf('sku')) ?? null
    if (sku !== null) {
      const first = skuRows.get(sku.toLowerCase())
      if (first !== undefined) rowProblems.push({ field: 'sku', message: `The SKU "${sku}" is also on row ${first}; each row needs its own SKU.` })
      else skuRows.set(sku.toLowerCase(), raw.row)
    }

    let sizes = input.settings.sizes
    const sizesCell = cell(columnOf('sizes'))
    if (sizesCell !== undefined) {
      const parsed = parseSizesCell(sizesCell)
      if ('problem' in parsed) rowProblems.push({ field: 'sizes', message: parsed.problem })
      else sizes = parsed.sizes
    }

    let count = input.settings.n
    const countCell = cell(columnOf('count'))
    if (countCell !== undefined) {
      if (/^\d+$/.test(countCell) && Number(countCell) >= 1 && Number(countCell) <= 10) count = Number(countCell)
      else rowProblems.push({ field: 'count', message: `"${countCell}" is not a whole number from 1 to 10.` })
    }

    let quality = input.settings.quality
    const qualityCell = cell(columnOf('quality'))
    if (qualityCell !== undefined) {
      const parsed = Quality.safeParse(qualityCell.toLowerCase())
      if (parsed.success) quality = parsed.data
      else rowProblems.push({ field: 'quality', message: `"${qualityCell}" is not a quality; use ${listNames(Quality.options)}.` })
    }

    // The batch edge: a cell is text, typed here once (link, stored or local file).
    const cellText = cell(columnOf('reference'))
    let reference = cellText === undefined ? null : referenceFromText(cellText)
    if (reference !== null && reference.kind !== 'link') {
      // A relative path starts from the table's folder (the CLI passes it).
      const path = !isAbsolute(reference.path) && input.baseDir ? resolve(input.baseDir, reference.path) : reference.path
      const local = localReference(path)
      reference = local
      const problem = isAbsolute(path) ? admittedFileProblem(references, local) : `${path} is not a full path or an http(s) link.`
      if (problem) rowProblems.push({ field: 'reference', message: problem })
    }

    const { sizes: _defaultSizes, ...settings } = input.settings
    const request: GenerationRequest = { ...settings, prompt: rendered.text, sizes, n: count, quality, refs: reference ? [reference] : [] }
    // Checked and priced here once: the run queues this very result, without reading the files again.
    let checked: CheckedRequest | null = null
    if (!rowProblems.some((p) => p.field === 'reference' || p.field === 'sizes' || p.field === 'count')) {
      try {
        checked = checkRequest(profile, request, references)
      } catch (err) {
        rowProblems.push(providerProblem(err))
      }
    }
    const priced = checked?.estimate ?? estimate(profile, sizes, count)
    const valid = rowProblems.length === 0 && problems.length === 0
    return {
      row: raw.row,
      sku,
      prompt: rendered.text,
      sizes: sizes.map(sizeLabel),
      count,
      quality,
      reference: reference === null ? null : referenceText(reference),
      lines: priced.lines.map((l) => ({ size: l.size, subtotal: l.subtotal })),
      cost: valid ? priced.total : null,
      problems: rowProblems,
      checked: valid ? checked : null,
    }
  })

  const valid = rows.filter((r) => r.checked !== null)
  const costs = valid.map((r) => r.cost)
  const total = costs.some((c) => c === null) ? null : sumMoney(costs as number[])
  return {
    templateName: input.template.name,
    sourceName: input.sourceName ?? null,
    delimiter: DELIMITER_NAMES[table.delimiter],
    columns: columns.map(({ header, role, variables: v }) => ({ header, role, variables: v })),
    unmatchedHeaders: columns.filter((c) => c.role === 'unmatched' && c.header !== '').map((c) => c.header),
    unfilledVariables,
    problems,
    provider: profile.id,
    currency: profile.pricing.currency,
    sizes: input.settings.sizes.map(sizeLabel),
    rows,
    validRows: valid.length,
    invalidRows: rows.length - valid.length,
    jobs: valid.reduce((sum, r) => sum + r.sizes.length, 0),
    total: valid.length === 0 ? 0 : total,
    budget: input.budget ?? null,
  }
}

export function previewOf(plan: BatchPlan): BatchPreview {
  return { ...plan, rows: plan.rows.map(({ checked: _checked, ...row }) => row) }
}
