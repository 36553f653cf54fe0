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

  it('a cancel lets no conversion start after it, and keeps the files complete before it, in order, with no temp file', async () => {
    const AT_ONCE = 2
    let started = 0
    let held = 0
    let bothHeld: () => void = () => undefined
    const allPlacesHeld = new Promise<void>((resolve) => (bothHeld = resolve))
    // From the fifth file on, each conversion waits for the cancel; once both places hold one,
    // nothing else can start before the cancel, and the four before them are being copied.
    const encode: EncodeStep = async (source, output, signal) => {
      if (++started >= 5) {
        if (++held === AT_ONCE) bothHeld()
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      }
      return encodeOutput(source, output)
    }
    const engine = await exportEngine({ exportEncode: encode, exportConversionsAtOnce: AT_ONCE })
    await twelveImages(engine)
    const out = tempDir()
    const finished = new Promise<string>((resolve) =>
      engine.router.subscribe((m) => m.event === 'export.progress' && m.data.status !== 'running' && resolve(m.data.status)),
    )
    const started0 = await ok(engine, 'exports.start', { folder: out, naming: '{index}', manifest: 'csv' })
    await allPlacesHeld
    await ok(engine, 'exports.cancel', { id: started0.id })
    expect(await finished).toBe('canceled')

    // The two held conversions were the last to start: the six files behind them never began.
    expect(started).toBe(4 + AT_ONCE)
    const state = await ok(engine, 'exports.status', { id: started0.id })
    expect(state).toMatchObject({ status: 'canceled', images: 12, imagesDone: 4, files: 4 })
    expect(readdirSync(out).sort()).toEqual(['001.png', '002.png', '003.png', '004.png', 'manifest.csv'])
    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => r.file)).toEqual(['001.png', '002.png', '003.png', '004.png'])
    for (const row of rows) {
      expect(sha256(join(out, row.file!))).toBe((await librarySha(engine, row.source_image_id!)).recorded)
    }
  })

  it('runs conversions side by side, as many as it has places for, started in export order, written in export order', async () => {
    const AT_ONCE = 3
    let active = 0
    let peak = 0
    const startOrder: string[] = []
    const encode: EncodeStep = async (source, output) => {
      startOrder.push(source.path)
      peak = Math.max(peak, ++active)
      try {
        return await encodeOutput(source, output)
      } finally {
        active--
      }
    }
    const engine = await exportEngine({ exportEncode: encode, exportConversionsAtOnce: AT_ONCE })
    const ids = await twelveImages(engine)
    const picked = [...ids.slice(6), ...ids.slice(0, 6).reverse()]
    const out = tempDir()
    const { state, events } = await runExport(engine, {
      folder: out,
      selection: { kind: 'ids', ids: picked },
      naming: '{index}',
      outputs: [{ format: 'webp', width: 80, height: 60, fit: 'contain' }],
      manifest: 'csv',
    })
    expect(state).toMatchObject({ status: 'done', images: 12, imagesDone: 12, files: 12, error: null })
    // Several at sharp at once, never more than the places (one at a time before).
    expect(peak).toBe(AT_ONCE)
    const files = await Promise.all(picked.map(async (id) => (await ok(engine, 'gallery.get', { id })).file))
    expect(startOrder).toEqual(files.map((f) => join(engine.home, f)))
    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => [r.file, r.source_image_id])).toEqual(picked.map((id, i) => [`${String(i + 1).padStart(3, '0')}.webp`, id]))
    for (const row of rows) {
      expect(row.sha256).toBe(sha256(join(out, row.file!)))
      expect(await pixelSize(join(out, row.file!))).toEqual({ format: 'webp', width: 80, height: 60 })
    }
    // Progress only ever counts up, file by file, as files are made final in order.
    const counts = events.map((e) => e.files)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(temps(out)).toEqual([])
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
