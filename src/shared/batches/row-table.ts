/**
 * Reads a table of rows: a CSV file, or cells pasted from a spreadsheet (tab-separated). Pure and
 * shared, like the template rules, so the engine and the interface read a table the same way.
 * Nothing throws: problems come back as data naming the row, because a studio's CSV is hand-made.
 *
 * - The separator is a comma, a tab or a semicolon, whichever the header line uses most (outside
 *   quotes); a pasted spreadsheet selection is tab-separated.
 * - A field in double quotes may hold separators, newlines and `""` (one literal quote).
 * - A byte order mark is dropped; CRLF, LF and lone CR all end a row; a newline inside quotes is
 *   kept as LF.
 * - Rows are numbered as a spreadsheet shows them: the header is row 1, blank rows count but are
 *   skipped (a row whose fields are all blank is blank).
 */

export type Delimiter = ',' | '\t' | ';'

export interface TableRow {
  /** The row number a spreadsheet shows (header = 1). */
  row: number
  cells: string[]
}

export interface RowTable {
  delimiter: Delimiter
  headers: string[]
  rows: TableRow[]
  /** Problems with the table as a whole (an unclosed quote, no header). */
  problems: string[]
}

const DELIMITERS: readonly Delimiter[] = [',', '\t', ';']

/** Counts each separator in the first non-blank line, ignoring quoted text. */
function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]))
  let quoted = false
  let seenContent = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seenContent) break
    } else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1)
    if (ch.trim()) seenContent = true
  }
  let best: Delimiter = ','
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d
  return best
}

interface RawRecord {
  row: number
  cells: string[]
}

/** Splits text into records of fields; `openQuoteRow` is set when a quote never closes. */
function splitRecords(text: string, delimiter: Delimiter): { records: RawRecord[]; openQuoteRow: number | null } {
  const records: RawRecord[] = []
  let cells: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endField = (): void => {
    cells.push(field)
    field = ''
  }
  const endRecord = (): void => {
    endField()
    records.push({ row: records.length + 1, cells })
    cells = []
  }
  while (i < text.length) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else if (ch === '\r') {
        field += '\n'
        if (text[i + 1] === '\n') i++
      } else field += ch
      i++
      continue
    }
    if (ch === '"' && field.trim() === '') {
      // A quote opens a field only at its start (spaces before it are dropped, as spreadsheets do).
      field = ''
      quoted = true
    } else if (ch === delimiter) endField()
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRecord()
    } else field += ch
    i++
  }
  if (quoted) {
    const openQuoteRow = records.length + 1
    endRecord()
    return { records, openQuoteRow }
  }
  // A final newline does not start one more (empty) row.
  if (field !== '' || cells.length > 0) endRecord()
  return { records, openQuoteRow: null }
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '')

export function readRowTable(input: string, delimiter?: Delimiter): RowTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input
  const sep = delimiter ?? detectDelimiter(text)
  const { records, openQuoteRow } = splitRecords(text, sep)
  const problems: string[] = []
  if (openQuoteRow !== null) {
    problems.push(`Row ${openQuoteRow}: a quoted field is never closed with ". Close the quote, or write "" for a quote inside a field.`)
  }
  const firstIndex = records.findIndex((r) => !isBlank(r.cells))
  if (firstIndex === -1) {
    return { delimiter: sep, headers: [], rows: [], problems: [...problems, 'The table is empty: it needs a header row and at least one row of values.'] }
  }
  const header = records[firstIndex]!
  const headers = header.cells.map((h) => h.trim())
  // Spreadsheets often leave trailing empty columns (a row ending in commas): drop them.
  while (headers.length > 1 && headers.at(-1) === '') headers.pop()
  const rows = records.slice(firstIndex + 1).filter((r) => !isBlank(r.cells))
  if (rows.length === 0) problems.push('The table has a header row but no rows of values.')
  return { delimiter: sep, headers, rows, problems }
}

/** Trailing blank cells past the header's width are padding, not data. */
export function rowWidthProblem(headers: readonly string[], cells: readonly string[]): string | null {
  let width = cells.length
  while (width > headers.length && cells[width - 1]!.trim() === '') width--
  if (width === headers.length) return null
  return width < headers.length
    ? `has ${width} field(s) but the header has ${headers.length}; a value is missing or a comma is not inside quotes.`
    : `has ${width} fields but the header has ${headers.length}; put values that contain commas in double quotes.`
}
