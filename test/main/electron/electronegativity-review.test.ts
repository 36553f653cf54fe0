import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { asTableRow, compareFindings, parseReviewedFindings, type Finding } from '../../../scripts/electronegativity-review'

// The rule npm test applies to electronegativity's findings (the tool itself runs in
// scripts/electronegativity.ts, after the build).
const doc = (rows: string) => `# Security\n\n## Reviewed electronegativity findings\n\n| Check | File | Code | Why |\n| --- | --- | --- | --- |\n${rows}\n## Next\n| IGNORED_CHECK | x | — | rows of other sections are not reviews |\n`

const sandbox: Finding = { id: 'SANDBOX_JS_CHECK', file: 'main/electron/window.ts', line: 17, sample: 'new BrowserWindow(opts)' }

describe('reviewed electronegativity findings', () => {
  it('reads check, file, code and reason from the table, and nothing outside its section', () => {
    const rows = parseReviewedFindings(
      doc(
        '| SANDBOX_JS_CHECK | main/electron/window.ts | `new  BrowserWindow(opts)` | options come from window-options.ts |\n' +
          '| CSP_GLOBAL_CHECK | main/electron/csp.ts | — | the policy is built at run time and asserted in csp.test.ts |\n' +
          '| OPEN_EXTERNAL_JS_CHECK | a.ts | `` a(`x`) \\|\\| b `` | backticks and pipes survive the table |\n',
      ),
    )
    expect(rows).toEqual([
      { id: 'SANDBOX_JS_CHECK', file: 'main/electron/window.ts', code: 'new BrowserWindow(opts)', why: 'options come from window-options.ts' },
      { id: 'CSP_GLOBAL_CHECK', file: 'main/electron/csp.ts', code: '', why: 'the policy is built at run time and asserted in csp.test.ts' },
      { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'a.ts', code: 'a(`x`) || b', why: 'backticks and pipes survive the table' },
    ])
  })

  it('refuses a row without a reason, and a document without the section', () => {
    expect(() => parseReviewedFindings(doc('| SANDBOX_JS_CHECK | main/electron/window.ts | `x` | ok |\n'))).toThrow('needs a reason')
    expect(() => parseReviewedFindings('# Security\n')).toThrow('Reviewed electronegativity findings')
  })

  it('passes a reviewed finding and fails an unreviewed one, even of the same check in the same file', () => {
    const reviewed = parseReviewedFindings(doc('| SANDBOX_JS_CHECK | main/electron/window.ts | `new BrowserWindow(opts)` | options come from window-options.ts |\n'))
    expect(compareFindings([sandbox], reviewed)).toEqual({ unreviewed: [], stale: [] })
    const another = { ...sandbox, line: 40, sample: 'new BrowserWindow({ webPreferences: { sandbox: false } })' }
    expect(compareFindings([sandbox, another], reviewed)).toEqual({ unreviewed: [another], stale: [] })
    expect(compareFindings([{ ...sandbox, file: 'main/other.ts' }], reviewed).unreviewed).toHaveLength(1)
  })

  it('fails a reviewed row that no longer occurs', () => {
    const reviewed = parseReviewedFindings(doc('| SANDBOX_JS_CHECK | main/electron/window.ts | `new BrowserWindow(opts)` | options come from window-options.ts |\n'))
    expect(compareFindings([], reviewed).stale).toEqual(reviewed)
  })

  it('prints an unreviewed finding as a row that parses back to the same key', () => {
    const tricky: Finding = { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'a.ts', line: 3, sample: 'a(`x`) || b', description: 'Review the use of openExternal' }
    const row = asTableRow(tricky).replace(/WHY \(.*\)/, 'a reason long enough to count')
    expect(compareFindings([tricky], parseReviewedFindings(doc(`${row}\n`)))).toEqual({ unreviewed: [], stale: [] })
  })

  it('holds for the repository’s own SECURITY.md: every row has a reason', () => {
    const rows = parseReviewedFindings(readFileSync(new URL('../../../SECURITY.md', import.meta.url), 'utf8'))
    expect(rows.length).toBeGreaterThan(0)
  })
})
