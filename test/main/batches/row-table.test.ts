/** The batch table reader: CSV as spreadsheets and hand editors write it, and pasted cells. */
import { describe, expect, it } from 'vitest'
import { readRowTable, rowWidthProblem } from '../../../src/shared/batches/row-table'

interface Case {
  name: string
  text: string
  headers: string[]
  rows: [number, string[]][]
  delimiter?: string
  problems?: RegExp[]
}

const cases: Case[] = [
  { name: 'plain comma-separated', text: 'sku,product\nA1,kettle\nA2,toaster\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle']], [3, ['A2', 'toaster']]] },
  { name: 'no final newline', text: 'sku,product\nA1,kettle', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle']]] },
  { name: 'CRLF line ends', text: 'sku,product\r\nA1,kettle\r\nA2,toaster\r\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle']], [3, ['A2', 'toaster']]] },
  { name: 'lone CR line ends (old Mac exports)', text: 'sku,product\rA1,kettle\r', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle']]] },
  { name: 'a byte order mark before the header', text: '\uFEFFsku,product\nA1,kettle\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle']]] },
  { name: 'a comma inside quotes', text: 'sku,product\nA1,"kettle, red"\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle, red']]] },
  { name: 'escaped quotes', text: 'sku,product\nA1,"the ""Classic"" kettle"\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'the "Classic" kettle']]] },
  { name: 'a quoted field that is only a quote', text: 'a,b\n"""",x\n', headers: ['a', 'b'], rows: [[2, ['"', 'x']]] },
  {
    name: 'newlines inside quotes, CRLF kept as LF; the next row is numbered as a spreadsheet shows it',
    text: 'sku,notes\r\nA1,"line one\r\nline two"\r\nA2,single\r\n',
    headers: ['sku', 'notes'],
    rows: [[2, ['A1', 'line one\nline two']], [3, ['A2', 'single']]],
  },
  {
    name: 'empty lines and all-blank rows are skipped but still counted',
    text: '\nsku,product\n\nA1,kettle\n , \n,\nA2,toaster\n\n',
    headers: ['sku', 'product'],
    rows: [[4, ['A1', 'kettle']], [7, ['A2', 'toaster']]],
  },
  { name: 'empty quoted fields', text: 'a,b,c\n"",x,""\n', headers: ['a', 'b', 'c'], rows: [[2, ['', 'x', '']]] },
  { name: 'headers are trimmed', text: ' SKU , Product Name \nA1,kettle\n', headers: ['SKU', 'Product Name'], rows: [[2, ['A1', 'kettle']]] },
  { name: 'a quote in the middle of a field is literal', text: 'size,product\n15,5" screen\n', headers: ['size', 'product'], rows: [[2, ['15', '5" screen']]] },
  {
    name: 'tab-separated cells pasted from a spreadsheet, with a quoted cell holding a tab and a newline',
    text: 'sku\tproduct\tcolour\nA1\tkettle, steel\t"red\tdark\nmatte"\nA2\ttoaster\tblue',
    headers: ['sku', 'product', 'colour'],
    rows: [[2, ['A1', 'kettle, steel', 'red\tdark\nmatte']], [3, ['A2', 'toaster', 'blue']]],
    delimiter: '\t',
  },
  { name: 'semicolon-separated (European spreadsheet exports)', text: 'sku;price\nA1;1,50\n', headers: ['sku', 'price'], rows: [[2, ['A1', '1,50']]], delimiter: ';' },
  { name: 'trailing empty header columns are dropped', text: 'sku,product,,\nA1,kettle,,\n', headers: ['sku', 'product'], rows: [[2, ['A1', 'kettle', '', '']]] },
  {
    name: 'an unclosed quote is reported with its row',
    text: 'sku,product\nA1,kettle\nA2,"toaster\nA3,iron\n',
    headers: ['sku', 'product'],
    rows: [[2, ['A1', 'kettle']], [3, ['A2', 'toaster\nA3,iron\n']]],
    problems: [/^Row 3: a quoted field is never closed/],
  },
  { name: 'empty text', text: '', headers: [], rows: [], problems: [/The table is empty/] },
  { name: 'only blank lines', text: '\r\n\r\n  \n', headers: [], rows: [], problems: [/The table is empty/] },
  { name: 'a header and no rows', text: 'sku,product\n\n', headers: ['sku', 'product'], rows: [], problems: [/header row but no rows/] },
]

describe('readRowTable', () => {
  it.each(cases)('$name', (c) => {
    const table = readRowTable(c.text)
    expect(table.headers).toEqual(c.headers)
    expect(table.rows.map((r) => [r.row, r.cells])).toEqual(c.rows)
    if (c.delimiter) expect(table.delimiter).toBe(c.delimiter)
    expect(table.problems).toHaveLength(c.problems?.length ?? 0)
    c.problems?.forEach((p, i) => expect(table.problems[i]).toMatch(p))
  })
})

describe('rowWidthProblem', () => {
  const headers = ['sku', 'product', 'colour']
  it.each([
    [['A1', 'kettle', 'red'], null],
    [['A1', 'kettle', 'red', '', ' '], null],
    [['A1', 'kettle'], /has 2 field\(s\) but the header has 3/],
    [['A1', 'kettle', 'red', 'extra'], /has 4 fields but the header has 3; put values that contain commas in double quotes/],
  ] as const)('%j', (cells, expected) => {
    const problem = rowWidthProblem(headers, cells)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toMatch(expected)
  })
})
