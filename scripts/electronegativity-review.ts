/**
 * The rule behind `npm test`'s electronegativity step: every finding must be listed in SECURITY.md
 * as reviewed, and every listed finding must still occur (a stale entry would hide a new finding
 * of the same kind on the same line). Pure, so the rule itself is tested.
 */

/** The parts of an electronegativity issue we match on. */
export interface Finding {
  readonly id: string
  readonly file: string
  readonly line?: number
  readonly sample?: string
  readonly description?: string
}

export interface ReviewedFinding {
  readonly id: string
  readonly file: string
  /** The flagged code, whitespace collapsed; '' where the tool gives none. */
  readonly code: string
  readonly why: string
}

const REVIEWED_HEADING = '## Reviewed electronegativity findings'

/**
 * Reads the table under REVIEWED_HEADING: `| CHECK_ID | file | code span or — | why |`, one row
 * per finding. A row without a reason is an error: reviewing means saying why.
 */
export function parseReviewedFindings(markdown: string): ReviewedFinding[] {
  const start = markdown.indexOf(REVIEWED_HEADING)
  if (start < 0) throw new Error(`SECURITY.md has no "${REVIEWED_HEADING}" section.`)
  const section = markdown.slice(start + REVIEWED_HEADING.length).split(/\n## /)[0] ?? ''
  const rows: ReviewedFinding[] = []
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue
    // A pipe inside a cell is written \| (Markdown's escape), so split on the others only.
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim().replaceAll('\\|', '|'))
    const [id = '', file = '', code = '', why = ''] = cells
    if (!/^[A-Z0-9_]+$/.test(id)) continue // the header and the --- row
    if (why.length < 10) throw new Error(`SECURITY.md: the reviewed finding ${id} in ${file} needs a reason.`)
    rows.push({ id, file, code: normalizeCode(code === '—' ? '' : code.replace(/^`+ ?/, '').replace(/ ?`+$/, '')), why })
  }
  return rows
}

function normalizeCode(code: string | undefined): string {
  return (code ?? '').replace(/\s+/g, ' ').trim()
}

const keyOf = (f: { id: string; file: string; code: string }): string => `${f.id} ${f.file} ${f.code}`

export function compareFindings(
  findings: readonly Finding[],
  reviewed: readonly ReviewedFinding[],
): { unreviewed: Finding[]; stale: ReviewedFinding[] } {
  const listed = new Set(reviewed.map(keyOf))
  const found = new Set(findings.map((f) => keyOf({ id: f.id, file: f.file, code: normalizeCode(f.sample) })))
  return {
    unreviewed: findings.filter((f) => !listed.has(keyOf({ id: f.id, file: f.file, code: normalizeCode(f.sample) }))),
    stale: reviewed.filter((r) => !found.has(keyOf(r))),
  }
}

/** How an unreviewed finding reads in the failure message, ready to paste as a table row. */
export function asTableRow(f: Finding): string {
  const code = normalizeCode(f.sample).replaceAll('|', '\\|')
  // Code that holds a backtick goes in a double-backtick span, as Markdown requires.
  const span = code === '' ? '—' : code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``
  return `| ${f.id} | ${f.file} | ${span} | WHY (line ${f.line ?? '?'}: ${f.description ?? ''}) |`
}
