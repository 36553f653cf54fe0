/**
 * Exports that make several files at once and make them final in batches: every file whole and
 * equal to its source or its conversion, names and manifest rows in export order however the
 * work interleaves, a cancel that keeps the files complete before it and leaves no temp file,
 * and copies that share nothing writable with the library.
 */
import { createHash } from 'node:crypto'
import { openSync, readdirSync, readFileSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeOutput } from '../../../src/main/core/export/convert'
import type { EncodeStep } from '../../../src/main/core/export/export-service'
import type { Engine } from '../../../src/main/core/engine'
import { demoImages, exportEngine, ok, readCsv, runExport } from '../../helpers/export-library'
import { pixelSize } from '../../helpers/library-files'
import { tempDir } from '../../helpers/temp-dir'

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const temps = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.tmp-'))

/** Twelve demo images of different sizes (so of different lengths), one job each. */
async function twelveImages(engine: Engine): Promise<string[]> {
  const sizes = Array.from({ length: 12 }, (_, i) => ({ width: 96 + 16 * i, height: 96 + 8 * (i % 4) }))
  const { imageIds } = await demoImages(engine, 'oak side table, studio light', sizes)
  expect(imageIds).toHaveLength(12)
  return imageIds
}

async function librarySha(engine: Engine, id: string): Promise<{ recorded: string; onDisk: string }> {
  const image = await ok(engine, 'gallery.get', { id })
  return { recorded: image.sha256, onDisk: sha256(join(engine.home, image.file)) }
}

describe('exports made several files at a time', () => {
  it('writes every file whole, copies equal to the library file, conversions equal to the manifest, in export order', async () => {
    const engine = await exportEngine()
    const ids = await twelveImages(engine)
    // An order of its own, not the gallery's: the manifest must follow it whatever finishes first.
    const picked = [...ids.slice(6), ...ids.slice(0, 6).reverse()]
    const out = tempDir()
    const { state } = await runExport(engine, {
      folder: out,
      selection: { kind: 'ids', ids: picked },
      naming: '{index}-{output}',
      outputs: [{ label: 'original', fit: 'cover' }, { label: 'small', format: 'jpeg', width: 64, height: 64, fit: 'cover' }],
      manifest: 'csv',
    })
    expect(state).toMatchObject({ status: 'done', images: 12, imagesDone: 12, files: 24, manifest: 'manifest.csv', error: null })
    expect(temps(out)).toEqual([])

    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => [r.file, r.source_image_id])).toEqual(
      picked.flatMap((id, i) => {
        const index = String(i + 1).padStart(3, '0')
        return [
          [`${index}-original.png`, id],
          [`${index}-small.jpg`, id],
        ]
      }),
    )
    for (const row of rows) {
      const path = join(out, row.file!)
      expect(row.sha256).toBe(sha256(path))
      expect(row.bytes).toBe(String(readFileSync(path).length))
      if (row.output === 'original') {
        expect(row.sha256).toBe((await librarySha(engine, row.source_image_id!)).recorded)
      } else {
        expect(await pixelSize(path)).toEqual({ format: 'jpeg', width: 64, height: 64 })
      }
    }
    expect(readdirSync(out).sort()).toEqual([...rows.map((r) => r.file!), 'manifest.csv'].sort())
  })

  it('a cancel among copies in flight keeps the files complete before it, in order, and leaves no temp file', async () => {
    let reachedFifth: () => void = () => undefined
    const atFifth = new Promise<void>((resolve) => (reachedFifth = resolve))
    let calls = 0
    // The fifth file waits for the cancel; the four before it are being copied meanwhile.
    const encode: EncodeStep = async (source, output, signal) => {
      if (++calls === 5) {
        reachedFifth()
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      }
      return encodeOutput(source, output)
    }
    const engine = await exportEngine({ exportEncode: encode })
    await twelveImages(engine)
    const out = tempDir()
    const finished = new Promise<string>((resolve) =>
      engine.router.subscribe((m) => m.event === 'export.progress' && m.data.status !== 'running' && resolve(m.data.status)),
    )
    const started = await ok(engine, 'exports.start', { folder: out, naming: '{index}', manifest: 'csv' })
    await atFifth
    await ok(engine, 'exports.cancel', { id: started.id })
    expect(await finished).toBe('canceled')

    const state = await ok(engine, 'exports.status', { id: started.id })
    expect(state).toMatchObject({ status: 'canceled', images: 12, imagesDone: 4, files: 4 })
    expect(readdirSync(out).sort()).toEqual(['001.png', '002.png', '003.png', '004.png', 'manifest.csv'])
    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => r.file)).toEqual(['001.png', '002.png', '003.png', '004.png'])
    for (const row of rows) {
      expect(sha256(join(out, row.file!))).toBe((await librarySha(engine, row.source_image_id!)).recorded)
    }
  })

  it('an exported copy is a file of its own: writing into it leaves the library file as recorded', async () => {
    const engine = await exportEngine()
    const { imageIds } = await demoImages(engine, 'ceramic vase', [{ width: 160, height: 160 }])
    const out = tempDir()
    const { state } = await runExport(engine, { folder: out, naming: 'vase', manifest: null })
    expect(state.status).toBe('done')
    const before = await librarySha(engine, imageIds[0]!)
    expect(sha256(join(out, 'vase.png'))).toBe(before.recorded)

    // What an editor saving over the file it opened does: rewrite its bytes in place.
    const fd = openSync(join(out, 'vase.png'), 'r+')
    writeSync(fd, Buffer.from('edited by someone else'), 0, 22, 0)
    closeSync(fd)
    expect(sha256(join(out, 'vase.png'))).not.toBe(before.recorded)
    expect(await librarySha(engine, imageIds[0]!)).toEqual({ recorded: before.recorded, onDisk: before.recorded })
  })
})
