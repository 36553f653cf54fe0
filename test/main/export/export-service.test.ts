/**
 * exports.* through the engine's router, on a real library of demo images, writing real files
 * into temp folders: pixel sizes read back with sharp, manifests parsed, ZIPs checked by unzip.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { encodeOutput } from '../../../src/main/core/export/convert'
import type { EncodeStep } from '../../../src/main/core/export/export-service'
import { demoImages, exportEngine, ok, readCsv, refusedWith, runExport } from '../../helpers/export-library'
import { pixelSize } from '../../helpers/library-files'
import { tempDir } from '../../helpers/temp-dir'
import { readZipEntries } from '../../helpers/zip-reader'

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

const SHOP = { label: 'shop', format: 'jpeg', quality: 90, width: 400, height: 400, fit: 'contain' } as const
const SOCIAL = { label: 'social', format: 'webp', quality: 80, width: 108, height: 135, fit: 'cover' } as const

describe('exports', () => {
  it('writes one file per image and output at the exact pixel size, with a CSV manifest of what was written', async () => {
    const engine = await exportEngine()
    const { imageIds } = await demoImages(engine, 'White sneaker, studio packshot', [
      { width: 320, height: 200 },
      { width: 200, height: 320 },
    ])
    const out = join(tempDir(), 'shop export')
    const { state, events } = await runExport(engine, {
      folder: out,
      naming: '{output}-{prompt_slug}-{size}-{index}.{ext}',
      outputs: [SHOP, SOCIAL],
      manifest: 'csv',
    })
    expect(state).toMatchObject({ status: 'done', images: 2, imagesDone: 2, files: 4, manifest: 'manifest.csv', zip: null, error: null })
    expect(events.at(-1)).toEqual(state)
    expect(events.every((e) => e.imagesDone <= e.images)).toBe(true)

    const rows = readCsv(join(out, 'manifest.csv'))
    expect(rows.map((r) => r.file).sort()).toEqual(
      [
        'shop-white-sneaker-studio-packshot-400x400-001.jpg',
        'shop-white-sneaker-studio-packshot-400x400-002.jpg',
        'social-white-sneaker-studio-packshot-108x135-001.webp',
        'social-white-sneaker-studio-packshot-108x135-002.webp',
      ].sort(),
    )
    expect(readdirSync(out).sort()).toEqual([...rows.map((r) => r.file), 'manifest.csv'].sort())
    for (const row of rows) {
      const path = join(out, row.file!)
      const wanted = row.output === 'shop' ? { format: 'jpeg', width: 400, height: 400 } : { format: 'webp', width: 108, height: 135 }
      expect(await pixelSize(path)).toEqual(wanted)
      expect(row).toMatchObject({
        size: `${wanted.width}x${wanted.height}`,
        format: wanted.format,
        bytes: String(readFileSync(path).length),
        sha256: sha256(path),
        prompt: 'White sneaker, studio packshot',
        provider: 'demo',
        key_label: '',
        estimated_cost: '0',
        charged_cost: '0',
        currency: 'USD',
        sku: '',
      })
      expect(imageIds).toContain(row.source_image_id)
    }
  })

  it('copies files byte for byte when no conversion is asked for', async () => {
    const engine = await exportEngine()
    const { imageIds } = await demoImages(engine, 'poster draft', [{ width: 256, height: 256 }])
    const out = tempDir()
    const { state } = await runExport(engine, { folder: out, naming: 'poster.{ext}', manifest: null })
    expect(state).toMatchObject({ status: 'done', files: 1, manifest: null })
    const image = await ok(engine, 'gallery.get', { id: imageIds[0]! })
    expect(sha256(join(out, 'poster.png'))).toBe(image.sha256)
  })

  it('names the paying key by its label in a JSON manifest, and the key itself appears nowhere', async () => {
    const engine = await exportEngine()
    const secret = 'sk-live-VERY-SECRET-0123456789abcdef'
    const key = await ok(engine, 'keys.add', { provider: 'openai', label: 'spring campaign', secret })
    await demoImages(engine, 'lifestyle scene, kitchen', [{ width: 240, height: 160 }])
    // The demo provider needs no key; record the image as paid by this key, as an openai job is.
    const db = new BetterSqlite3(join(engine.home, 'library.sqlite'))
    db.prepare('UPDATE jobs SET key_id = ?, key_label = ?, estimated_cost = 0.08, charged_cost = 0.06').run(key.id, key.label)
    db.prepare('UPDATE images SET key_label = ?').run(key.label)
    db.close()

    const out = tempDir()
    const { state, events } = await runExport(engine, { folder: out, manifest: 'json', outputs: [SOCIAL], zip: true })
    expect(state.status).toBe('done')
    const manifest = JSON.parse(readFileSync(join(out, state.manifest!), 'utf8'))
    expect(manifest.files).toHaveLength(1)
    expect(manifest.files[0]).toMatchObject({ key_label: 'spring campaign', estimated_cost: 0.08, charged_cost: 0.06, width: 108, height: 135 })
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file)).includes(secret)).toBe(false)
    expect(JSON.stringify(events)).not.toContain(secret)
  })

  it('never overwrites: files already in the folder and repeated names get -2, -3', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'same name twice', [
      { width: 128, height: 128 },
      { width: 160, height: 128 },
    ])
    const out = tempDir()
    writeFileSync(join(out, 'product.png'), 'a file the user made')
    writeFileSync(join(out, 'manifest.csv'), 'an older manifest')
    const { state } = await runExport(engine, { folder: out, naming: 'product' })
    expect(state.status).toBe('done')
    expect(readdirSync(out).sort()).toEqual(['manifest-2.csv', 'manifest.csv', 'product-2.png', 'product-3.png', 'product.png'])
    expect(readFileSync(join(out, 'product.png'), 'utf8')).toBe('a file the user made')
    expect(readFileSync(join(out, 'manifest.csv'), 'utf8')).toBe('an older manifest')
    expect(state.manifest).toBe('manifest-2.csv')
  })

  it('exports a batch, a search, or chosen ids, and zips what it wrote', async () => {
    const engine = await exportEngine()
    const batch = await demoImages(engine, 'red kettle on marble', [
      { width: 128, height: 128 },
      { width: 192, height: 128 },
    ])
    const other = await demoImages(engine, 'blue mug lifestyle', [{ width: 128, height: 128 }])

    const byBatch = join(tempDir(), 'kettle')
    const batchRun = await runExport(engine, { folder: byBatch, selection: { kind: 'batch', batchId: batch.batchId! }, zip: true })
    expect(batchRun.state).toMatchObject({ status: 'done', images: 2, files: 2, zip: 'kettle.zip' })
    const zipPath = join(byBatch, 'kettle.zip')
    expect(execFileSync('unzip', ['-t', zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/)
    const entries = readZipEntries(readFileSync(zipPath))
    expect(entries.map((e) => e.name).sort()).toEqual(readdirSync(byBatch).filter((f) => f !== 'kettle.zip').sort())
    for (const entry of entries) expect(entry.data.equals(readFileSync(join(byBatch, entry.name)))).toBe(true)

    const bySearch = tempDir()
    const searchRun = await runExport(engine, { folder: bySearch, selection: { kind: 'filter', filter: { search: 'mug' } }, manifest: 'json' })
    expect(searchRun.state.files).toBe(1)
    expect(JSON.parse(readFileSync(join(bySearch, 'manifest.json'), 'utf8')).files[0].source_image_id).toBe(other.imageIds[0])

    const byIds = tempDir()
    const picked = [other.imageIds[0]!, batch.imageIds[1]!]
    const idsRun = await runExport(engine, { folder: byIds, selection: { kind: 'ids', ids: picked }, naming: '{index}', manifest: 'json' })
    expect(idsRun.state.files).toBe(2)
    const files = JSON.parse(readFileSync(join(byIds, 'manifest.json'), 'utf8')).files
    expect(files.map((f: { file: string; source_image_id: string }) => [f.file, f.source_image_id])).toEqual([
      ['001.png', picked[0]],
      ['002.png', picked[1]],
    ])
  })

  it('names one SKU made at two source sizes apart with {source_size}, as the presets do', async () => {
    const engine = await exportEngine()
    const run = await ok(engine, 'batches.run', {
      template: { name: 'packshot', body: '{{product}} on white' },
      table: 'sku,product\nA-100,red kettle\n',
      settings: { provider: 'demo', sizes: [{ width: 128, height: 128 }, { width: 192, height: 128 }] },
    })
    await engine.waitForJobs(run.jobIds)
    const { presets } = await ok(engine, 'exports.presets', {})
    const shop = presets.find((p) => p.id === 'web-shop')!
    expect(shop.naming).toContain('{source_size}')

    const out = tempDir()
    const output = { ...shop.output, width: 200, height: 200 }
    const { state } = await runExport(engine, { folder: out, selection: { kind: 'batch', batchId: run.batchId }, naming: shop.naming, outputs: [output], manifest: null })
    expect(state.status).toBe('done')
    // Both files are 200x200; before {source_size} the second one was only told apart by "-2".
    expect(readdirSync(out).sort()).toEqual(['A-100-red-kettle-on-white-128x128-shop.jpg', 'A-100-red-kettle-on-white-192x128-shop.jpg'])
    const fields = await ok(engine, 'exports.presets', {})
    expect(fields.fields.map((f) => f.name)).toContain('source_size')
  })

  it('previews the first names and the counts without writing anything', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'candle packshot', [{ width: 128, height: 128 }])
    const out = join(tempDir(), 'not yet')
    const preview = await ok(engine, 'exports.preview', { folder: out, naming: '{output}_{size}', outputs: [SHOP, SOCIAL] })
    expect(preview).toEqual({ images: 1, files: 2, examples: ['shop_400x400.jpg', 'social_108x135.webp'], folderProblem: null, folder: out })
    expect(existsSync(out)).toBe(false)
  })

  it('refuses bad input with the field and the fix', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'refusals', [{ width: 128, height: 128 }])
    const dir = tempDir()
    writeFileSync(join(dir, 'a-file'), 'x')

    const relative = await refusedWith(engine, 'exports.start', { folder: 'exports/shop' })
    expect(relative).toMatchObject({ code: 'bad_input', field: 'folder' })
    expect(relative.fix).toMatch(/full path/)
    const file = await refusedWith(engine, 'exports.start', { folder: join(dir, 'a-file') })
    expect(file).toMatchObject({ field: 'folder' })
    expect(file.message).toMatch(/is a file, not a folder/)
    const under = await refusedWith(engine, 'exports.start', { folder: join(dir, 'a-file', 'sub') })
    expect(under.message).toMatch(/is a file, so .* cannot be made/)
    const library = await refusedWith(engine, 'exports.start', { folder: join(engine.home, 'images', 'out') })
    expect(library.message).toMatch(/inside the library's own images folder/)
    const naming = await refusedWith(engine, 'exports.start', { folder: dir, naming: '{sku}-{colour}' })
    expect(naming).toMatchObject({ field: 'naming' })
    expect(naming.message).toContain('{colour}')
    const batch = await refusedWith(engine, 'exports.start', { folder: dir, selection: { kind: 'batch', batchId: 'batch_nope' } })
    expect(batch).toMatchObject({ field: 'selection.batchId' })
    const empty = await refusedWith(engine, 'exports.start', { folder: dir, selection: { kind: 'filter', filter: { search: 'zebra' } } })
    expect(empty.message).toMatch(/Nothing to export/)
    const size = await refusedWith(engine, 'exports.start', { folder: dir, outputs: [{ width: 100 }] })
    expect(size).toMatchObject({ field: 'outputs.0.height' })
    const unknownId = await refusedWith(engine, 'exports.start', { folder: dir, selection: { kind: 'ids', ids: ['img_nope'] } })
    expect(unknownId).toMatchObject({ field: 'selection.ids' })
    expect(readdirSync(dir)).toEqual(['a-file'])
  })

  it('a cancel in the middle of a file leaves complete files only, none half-written, no temp files', async () => {
    let release: () => void = () => undefined
    let reachedSecond: () => void = () => undefined
    const atSecond = new Promise<void>((resolve) => (reachedSecond = resolve))
    let conversionsStarted = 0
    let firstEnded: () => void = () => undefined
    const firstDone = new Promise<void>((resolve) => (firstEnded = resolve))
    // The second image's conversion is slow: it finishes only after the cancel arrived. Counted
    // as conversions start (in export order), not as they end: they run side by side, so the
    // first image's may end second. The cancel waits until the first has ended and its file has
    // gone on to be written (a macrotask later every continuation of it has run), since a
    // conversion that ends after a cancel is dropped.
    const encode: EncodeStep = async (source, output, signal) => {
      const order = ++conversionsStarted
      const encoded = await encodeOutput(source, output)
      if (order === 1) setImmediate(firstEnded)
      if (order === 2) {
        await firstDone
        reachedSecond()
        await new Promise<void>((resolve) => {
          release = resolve
          signal.addEventListener('abort', () => resolve(), { once: true })
        })
      }
      return encoded
    }
    const engine = await exportEngine({ exportEncode: encode })
    await demoImages(engine, 'interrupted export', [
      { width: 128, height: 128 },
      { width: 160, height: 128 },
      { width: 192, height: 128 },
    ])
    const out = tempDir()
    const finished = new Promise<string>((resolve) =>
      engine.router.subscribe((m) => m.event === 'export.progress' && m.data.status !== 'running' && resolve(m.data.status)),
    )
    const started = await ok(engine, 'exports.start', { folder: out, naming: '{index}', outputs: [SHOP] })
    await atSecond
    const canceling = await ok(engine, 'exports.cancel', { id: started.id })
    expect(canceling.id).toBe(started.id)
    release()
    expect(await finished).toBe('canceled')
    const state = await ok(engine, 'exports.status', { id: started.id })
    expect(state).toMatchObject({ status: 'canceled', images: 3, imagesDone: 1, files: 1, zip: null })
    expect(readdirSync(out).sort()).toEqual(['001.jpg', 'manifest.csv'])
    expect(await pixelSize(join(out, '001.jpg'))).toEqual({ format: 'jpeg', width: 400, height: 400 })
    expect(readCsv(join(out, 'manifest.csv')).map((r) => r.file)).toEqual(['001.jpg'])
  })
})
