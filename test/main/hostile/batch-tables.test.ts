/**
 * Hostile CSV tables for SKU batches, through `batches.run` (what Run batch and `proofsheet
 * batch` send). A table no row of which can run is refused as a whole, naming the table and
 * what is wrong with it, and no batch, job or file is written; the preview names the row.
 */
import { describe, expect, it } from 'vitest'
import type { BatchPreview } from '../../../src/shared/api'
import { expectCleanRefusal, useSharedEngine, type Send } from '../../helpers/hostile'

const library = useSharedEngine()
const send: Send = (name, input) => library.engine.router.handle(name, input)

const template = { name: 'Packshot', body: '{{product}} on a white background' }
const batch = (table: string) => ({ template, table, settings: { provider: 'demo', sizes: [{ width: 64, height: 64 }] } })

/** Bytes no CSV has: every value 0-255, NULs and all, as a file read as text would carry them. */
const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919 + 3) % 256)).join('')

interface Row {
  what: string
  table: string
  /** What the refusal says about the table. */
  says: RegExp
  /** What the preview says about its first row, when the table as a whole is readable. */
  rowSays?: RegExp
}

const rows: Row[] = [
  { what: 'binary garbage', table: binary, says: /No row of the table can run|never closed|no rows/ },
  { what: 'a NUL inside a cell', table: 'product\nmug\u0000 with lid\n', says: /U\+0000/, rowSays: /control character U\+0000/ },
  { what: 'a terminal escape inside a cell', table: 'product\n"mug \u001b]0;owned\u0007"\n', says: /U\+001B/, rowSays: /U\+001B/ },
  { what: 'a cell of zero-width characters only', table: 'product\n\u200b\u200f\u2060\n', says: /product/, rowSays: /"product" is empty on this row/ },
  { what: 'a ragged row (too few fields)', table: 'product,colour\nmug\n', says: /Row 2/, rowSays: /has 1 field\(s\) but the header has 2/ },
  { what: 'a ragged row (too many fields)', table: 'product\nmug,red,large\n', says: /Row 2/, rowSays: /has 3 fields but the header has 1/ },
  { what: 'an unterminated quote', table: 'product\n"mug, red\n', says: /never closed/ },
  { what: 'an empty table', table: '', says: /empty/ },
  { what: 'a header with no rows', table: 'product\n', says: /no rows of values/ },
  { what: 'only blank lines and a BOM', table: '\ufeff\r\n\r\n\n', says: /empty/ },
  { what: '5,001 rows', table: `product\n${'mug\n'.repeat(5001)}`, says: /5001 rows; a batch takes at most 5000/ },
  { what: '100,000 columns', table: `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')},product\n${'x,'.repeat(100_000)}mug\n`, says: /100001 columns; a batch reads at most 200/ },
  { what: 'no column for the template variable', table: 'sku,colour\nA1,red\n', says: /product/, rowSays: /No column fills \{\{product\}\}/ },
  { what: 'duplicate SKUs only', table: 'sku,product\nA1,\nA1,\n', says: /empty/ },
  { what: 'a cell making the prompt 40,000 characters', table: `product\n${'m'.repeat(40_000)}\n`, says: /32000/, rowSays: /characters; Demo \(offline, free\) accepts up to 32000/ },
  // Through the interface's door, a reference cell may not name a file outside the library at all.
  { what: 'a reference column pointing at /etc/passwd', table: 'product,reference\nmug,/etc/passwd\n', says: /not a reference image stored in this library/, rowSays: /not a reference image stored in this library/ },
  { what: 'a reference column with ../', table: 'product,reference\nmug,../../etc/passwd\n', says: /reference/, rowSays: /not a full path/ },
  { what: 'a count that is a formula', table: 'product,count\nmug,=1+1\n', says: /count/, rowSays: /"=1\+1" is not a whole number from 1 to 10/ },
  { what: 'sizes that are not sizes', table: 'product,sizes\nmug,99999x99999;-5x5\n', says: /sizes/ },
]

describe('hostile batch tables: refused as a whole, nothing written', () => {
  it.each(rows)('$what', async ({ table, says, rowSays }) => {
    await expectCleanRefusal(library.home, send, 'batches.run', batch(table), { field: 'table', says })
    if (rowSays) {
      const preview = await send('batches.preview', batch(table))
      expect(preview.ok).toBe(true)
      const [first] = (preview as { value: BatchPreview }).value.rows
      expect(first?.problems.map((p) => p.message).join(' ')).toMatch(rowSays)
    }
  })

  it('refuses a table over 10 MB before reading it', async () => {
    await expectCleanRefusal(library.home, send, 'batches.preview', batch(`product\n${'m'.repeat(10_000_001)}`), { field: 'table', says: /10 MB/ })
  })

  it('runs the good rows of a table whose other rows are hostile, and marks only those', async () => {
    const preview = await send('batches.preview', batch('sku,product\nA1,mug\nA2,"cup\u0000"\nA3,=HYPERLINK("http://x.example")\n'))
    const rowsOut = (preview as { value: BatchPreview }).value.rows
    expect(rowsOut.map((r) => [r.sku, r.problems.length > 0])).toEqual([
      ['A1', false],
      ['A2', true],
      // A formula-looking value is text to a provider; it is the manifest that must not run it.
      ['A3', false],
    ])
    expect(rowsOut[2]?.prompt).toBe('=HYPERLINK("http://x.example") on a white background')
  })
})
