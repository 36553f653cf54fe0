/**
 * Security: an export never writes into the library's own folders, however the folder is named:
 * directly, through a symlink to images/ (or to a folder under it), or through a new folder under
 * such a link. Real paths are compared, so a link to a folder elsewhere still works.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { demoImages, exportEngine, ok, refusedWith, runExport } from '../../helpers/export-library'
import { tempDir } from '../../helpers/temp-dir'

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

describe('export into the library through a link', () => {
  it('refuses a symlink to images/, a new folder under it and a link into thumbs/, naming the folder field; writes nothing there', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'links', [{ width: 128, height: 128 }])
    const before = filesUnder(engine.home)
    const elsewhere = tempDir()
    symlinkSync(join(engine.home, 'images'), join(elsewhere, 'shop'))
    symlinkSync(join(engine.home, 'thumbs'), join(elsewhere, 'previews'))

    for (const [folder, inside] of [
      [join(elsewhere, 'shop'), 'images'],
      [join(elsewhere, 'shop', 'new', 'deeper'), 'images'],
      [join(elsewhere, 'previews'), 'thumbs'],
    ] as const) {
      const refused = await refusedWith(engine, 'exports.start', { folder })
      expect(refused).toMatchObject({ code: 'bad_input', field: 'folder' })
      expect(refused.message).toContain(`inside the library's own ${inside} folder`)
      const preview = await ok(engine, 'exports.preview', { folder })
      expect(preview.folderProblem).toContain(`inside the library's own ${inside} folder`)
    }
    expect(filesUnder(engine.home)).toEqual(before)
  })

  it('refuses a folder whose path goes through a link to nowhere (where it lands cannot be told)', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'dangling', [{ width: 128, height: 128 }])
    const elsewhere = tempDir()
    symlinkSync(join(engine.home, 'images', 'not-yet'), join(elsewhere, 'later'))
    const refused = await refusedWith(engine, 'exports.start', { folder: join(elsewhere, 'later', 'out') })
    expect(refused).toMatchObject({ code: 'bad_input', field: 'folder' })
    expect(refused.message).toMatch(/link to a folder that does not exist/)
  })

  it('still exports to an ordinary folder beside the library, and to one reached through a link to it', async () => {
    const engine = await exportEngine()
    await demoImages(engine, 'fine', [{ width: 128, height: 128 }])
    const real = tempDir()
    mkdirSync(join(real, 'deliveries'))
    const elsewhere = tempDir()
    symlinkSync(join(real, 'deliveries'), join(elsewhere, 'out'))
    const { state } = await runExport(engine, { folder: join(elsewhere, 'out') })
    expect(state).toMatchObject({ status: 'done', files: 1 })
    expect(readdirSync(join(real, 'deliveries')).length).toBeGreaterThan(0)
  })
})
