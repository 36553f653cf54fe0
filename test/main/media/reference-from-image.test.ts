/**
 * refs.fromImage: "Use as reference" and "Edit" make a gallery image a stored reference without
 * its bytes crossing the window. The copy lives in refs/ like a dropped file, so a job that uses
 * it keeps working after the gallery image is deleted; an unknown id is refused by name.
 */
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { call, openEngine, refused } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

describe('refs.fromImage', () => {
  it('copies a gallery image into the refs folder with its size, and a job can use it', async () => {
    const home = tempDir('proofsheet-from-image-')
    const engine = await openEngine(home)
    const made = await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'a teal vase', sizes: [{ width: 256, height: 256 }] })
    await engine.waitForJobs(made.jobs.map((j) => j.id))
    const image = (await call(engine, 'gallery.list', {})).images[0]!

    const ref = await call(engine, 'refs.fromImage', { imageId: image.id })
    expect(ref).toMatchObject({ format: image.format, width: 256, height: 256, bytes: image.bytes })
    expect(dirname(ref.path)).toBe(join(home, 'refs'))
    expect(readFileSync(ref.path).equals(readFileSync(join(home, image.file)))).toBe(true)

    // The copy is the reference: deleting the gallery's file leaves it in place.
    rmSync(join(home, image.file))
    const edit = await call(engine, 'jobs.generate', {
      provider: 'demo',
      prompt: 'the vase in blue',
      sizes: [{ width: 256, height: 256 }],
      refs: [{ kind: 'stored', path: ref.path }],
    })
    const [job] = await engine.waitForJobs(edit.jobs.map((j) => j.id))
    expect(job?.status).toBe('succeeded')
  })

  it('refuses an unknown id and an image whose file is gone, naming the field', async () => {
    const home = tempDir('proofsheet-from-image-')
    const engine = await openEngine(home)
    expect(await refused(engine, 'refs.fromImage', { imageId: 'img-nope' })).toMatchObject({ code: 'not_found', field: 'imageId', message: 'No image with id img-nope.' })
    expect(await refused(engine, 'refs.fromImage', { imageId: '' })).toMatchObject({ code: 'bad_input', field: 'imageId' })

    const made = await call(engine, 'jobs.generate', { provider: 'demo', prompt: 'a teal vase', sizes: [{ width: 256, height: 256 }] })
    await engine.waitForJobs(made.jobs.map((j) => j.id))
    const image = (await call(engine, 'gallery.list', {})).images[0]!
    rmSync(join(home, image.file))
    expect(await refused(engine, 'refs.fromImage', { imageId: image.id })).toMatchObject({ code: 'not_found', field: 'imageId' })
  })
})
