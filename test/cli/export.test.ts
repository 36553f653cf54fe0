/**
 * `proofsheet export` end to end, in-process: demo images generated with `generate --wait`,
 * then exported to a temp folder; files, pixel sizes, manifest and ZIP checked on disk.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliInProcess } from '../helpers/cli-in-process'
import { readCsv } from '../helpers/export-library'
import { pixelSize } from '../helpers/library-files'
import { tempDir } from '../helpers/temp-dir'

const env = { PROOFSHEET_DEMO_DELAY_MS: '5' }
const cli = (args: string[]) => cliInProcess(args, env)

async function libraryWithImages(): Promise<{ home: string; batchId: string }> {
  const home = tempDir('proofsheet-cli-export-')
  const run = await cli(['generate', '--provider', 'demo', '--prompt', 'oak chair, white studio', '--size', '256x256,320x200', '--wait', '--json', '--home', home])
  expect(run.code).toBe(0)
  await cli(['generate', '--provider', 'demo', '--prompt', 'linen lamp shade', '--size', '200x200', '--wait', '--home', home])
  return { home, batchId: run.json().batchId }
}

describe('proofsheet export', () => {
  it('exports everything with two presets, a JSON manifest and a ZIP; --json prints the summary', async () => {
    const { home } = await libraryWithImages()
    const out = join(tempDir(), 'delivery')
    const run = await cli(['export', '--home', home, '--out', out, '--preset', 'web-shop', '--preset', 'social-portrait', '--manifest', 'json', '--zip', '--naming', '{output}/{prompt_slug}-{size}', '--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const summary = run.json()
    expect(summary.export).toMatchObject({ status: 'done', images: 3, files: 6 })
    expect(summary.manifest).toBe(join(out, 'manifest.json'))
    expect(summary.zip).toBe(join(out, 'delivery.zip'))

    const manifest = JSON.parse(readFileSync(summary.manifest, 'utf8'))
    expect(manifest.files).toHaveLength(6)
    for (const file of manifest.files) {
      const size = file.output === 'shop' ? { width: 2000, height: 2000 } : { width: 1080, height: 1350 }
      expect(file.file).toBe(`${file.output}-${file.file.split('-').slice(1).join('-')}`)
      expect(await pixelSize(join(out, file.file))).toEqual({ format: 'jpeg', ...size })
    }
    expect(execFileSync('unzip', ['-Z1', summary.zip], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(
      [...manifest.files.map((f: { file: string }) => f.file), 'manifest.json'].sort(),
    )
  })

  it("--preset without --naming names files by the preset's naming, which says each file's source size", async () => {
    const { home, batchId } = await libraryWithImages()
    const out = tempDir()
    const run = await cli(['export', '--home', home, '--out', out, '--batch', batchId, '--preset', 'web-shop', '--manifest', 'none'])
    expect(run.code).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['oak-chair-white-studio-256x256-shop.jpg', 'oak-chair-white-studio-320x200-shop.jpg'])
  })

  it('exports one batch with --format, --size and --fit, and a CSV manifest by default', async () => {
    const { home, batchId } = await libraryWithImages()
    const out = tempDir()
    const run = await cli(['export', '--home', home, '--out', out, '--batch', batchId, '--format', 'webp', '--quality', '70', '--size', '300x100', '--fit', 'contain', '--naming', '{index}-{width}x{height}'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Exported 2 file\(s\) from 2 of 2 image\(s\)/)
    expect(readdirSync(out).sort()).toEqual(['001-300x100.webp', '002-300x100.webp', 'manifest.csv'])
    expect(await pixelSize(join(out, '001-300x100.webp'))).toEqual({ format: 'webp', width: 300, height: 100 })
    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => r.batch_id)).toEqual([batchId, batchId])
  })

  it('exports a search result only', async () => {
    const { home } = await libraryWithImages()
    const out = tempDir()
    const run = await cli(['export', '--home', home, '--out', out, '--search', 'lamp', '--json'])
    expect(run.code).toBe(0)
    expect(run.json().export.files).toBe(1)
    expect(readCsv(join(out, 'manifest.csv'))[0]).toMatchObject({ prompt: 'linen lamp shade', size: '200x200', format: 'png' })
  })

  it.each([
    [['--out'], /--out needs a value|--out is required/],
    [[], /--out is required/],
    [['--out', 'OUT', '--batch', 'batch_missing'], /No batch with id batch_missing[\s\S]*fix: Use a batch id/],
    [['--out', 'OUT', '--naming', '{sku}-{colour}'], /unknown field \{colour\}[\s\S]*fix: Use only these fields/],
    [['--out', 'OUT', '--format', 'gif'], /--format "gif" is not an export format[\s\S]*png, jpeg, webp/],
    [['--out', 'OUT', '--size', '2000'], /--size "2000" is not WIDTHxHEIGHT/],
    [['--out', 'OUT', '--fit', 'cover'], /--fit needs --size/],
    [['--out', 'OUT', '--manifest', 'xml'], /--manifest "xml"[\s\S]*csv, json or none/],
    [['--out', 'OUT', '--preset', 'billboard'], /--preset "billboard" is not a preset[\s\S]*web-shop/],
    [['--out', 'OUT', '--batch', 'b', '--search', 's'], /one of --batch, --search or --ids/],
    [['--out', 'FILE'], /is a file, not a folder/],
  ])('bad input %j exits 2 with the flag and the fix', async (args, message) => {
    const { home } = await libraryWithImages()
    const dir = tempDir()
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    const run = await cli(['export', '--home', home, ...args.map((a) => (a === 'OUT' ? join(dir, 'out') : a === 'FILE' ? file : a))])
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toMatch(/fix: /)
    expect(run.code).toBe(2)
    expect(readdirSync(dir)).toEqual(['a-file'])
  })
})

describe('proofsheet export into the library', () => {
  it('--out naming a symlink to the library images folder: exit 2, --out named with the fix, nothing written there', async () => {
    const { home } = await libraryWithImages()
    const images = readdirSync(join(home, 'images'), { recursive: true }).sort()
    const link = join(tempDir(), 'shop')
    symlinkSync(join(home, 'images'), link)
    const run = await cli(['export', '--home', home, '--out', link, '--json'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/shop is inside the library's own images folder/)
    expect(run.json().error).toMatchObject({ flag: '--out', fix: expect.stringContaining(`outside the library folder ${home}`) })
    expect(readdirSync(join(home, 'images'), { recursive: true }).sort()).toEqual(images)
  })
})
