/**
 * Reusing an edit's settings: gallery.detail carries the job's references and mask as the job
 * sent them, and refs.describe looks stored ones up again (size, thumbnail) or says why it cannot,
 * reading nothing outside the library's refs/ folder.
 */
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { resolveLibraryFile } from '../../../src/main/core/media/library-path'
import { call, openEngine } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const png = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer()
const clearPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toBuffer()

describe('reusing a job with references', () => {
  it('gallery.detail names the references and mask of the job that made the image', async () => {
    const home = tempDir('proofsheet-reuse-')
    const engine = await openEngine(home)
    const photo = await call(engine, 'refs.import', { name: 'mug.png', base64: (await png(64, 48, '#c33')).toString('base64') })
    const mask = await call(engine, 'refs.import', { name: 'mask.png', base64: (await clearPng(64, 48)).toString('base64') })
    const queued = await call(engine, 'jobs.generate', {
      provider: 'demo',
      prompt: 'the same mug on oak',
      sizes: [{ width: 256, height: 256 }],
      refs: [{ kind: 'stored', path: photo.path }],
      mask: { kind: 'stored', path: mask.path },
    })
    await engine.waitForJobs(queued.jobs.map((j) => j.id))
    const image = (await call(engine, 'gallery.list', {})).images[0]!
    const detail = await call(engine, 'gallery.detail', { id: image.id })
    expect(detail.job).toMatchObject({ references: 1, masked: true })
    expect(detail.settings.refs).toEqual([{ kind: 'stored', path: photo.path }])
    expect(detail.settings.mask).toEqual({ kind: 'stored', path: mask.path })
  })

  it('refs.describe finds stored files with a thumbnail, and says which are gone or were never in the library', async () => {
    const home = tempDir('proofsheet-describe-')
    const engine = await openEngine(home)
    const kept = await call(engine, 'refs.import', { name: 'kept.png', base64: (await png(120, 80, '#36c')).toString('base64') })
    const gone = await call(engine, 'refs.import', { name: 'gone.png', base64: (await png(30, 30, '#3c6')).toString('base64') })
    rmSync(gone.path)
    const elsewhere = join(tempDir('proofsheet-elsewhere-'), 'shoe.png')
    writeFileSync(elsewhere, await png(10, 10, '#999'))
    // A job queued before the library folder was moved still names the file by its hash.
    const moved = join('/old/library/refs', basename(kept.path))

    const { references } = await call(engine, 'refs.describe', { paths: [kept.path, gone.path, elsewhere, moved] })
    const [found, missing, outside, relocated] = references
    expect(found).toMatchObject({ found: true, reference: { path: kept.path, format: 'png', width: 120, height: 80, bytes: kept.bytes } })
    expect(found!.found && found!.preview).toMatch(/^data:image\/webp;base64,/)
    const thumb = found!.found ? await sharp(Buffer.from(found!.preview.split(',')[1]!, 'base64')).metadata() : null
    expect(thumb).toMatchObject({ format: 'webp', width: 120, height: 80 })
    // The full-size file, through the same media door as the gallery's images (the mask painter's canvas).
    expect(found!.found && found!.media).toBe(`refs/${basename(kept.path)}`)
    expect(await resolveLibraryFile(home, found!.found ? found!.media : '')).toBe(realpathSync(kept.path))
    expect(missing).toEqual({ found: false, path: gone.path, problem: `${basename(gone.path)} is no longer in the library's refs folder.` })
    expect(outside).toEqual({ found: false, path: elsewhere, problem: `${elsewhere} is not one of the library's stored references; add it again.` })
    expect(relocated).toMatchObject({ found: true, reference: { path: kept.path, width: 120, height: 80 } })
  })

  it('never reads through a link out of the refs folder', async () => {
    const home = tempDir('proofsheet-describe-link-')
    const engine = await openEngine(home)
    const outside = join(home, 'secret.png')
    writeFileSync(outside, await png(8, 8, '#000'))
    mkdirSync(join(home, 'refs'), { recursive: true })
    const name = `${'a'.repeat(64)}.png`
    symlinkSync(outside, join(home, 'refs', name))
    const { references } = await call(engine, 'refs.describe', { paths: [join(home, 'refs', name)] })
    expect(references[0]).toMatchObject({ found: false, problem: `${name} is no longer in the library's refs folder.` })
  })
})
