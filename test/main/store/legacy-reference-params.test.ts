/**
 * Jobs queued before references were typed keep them in their params JSON as plain strings. They
 * are classified once when read, so such a job still runs and "Use these settings" gets the kinds.
 */
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { referenceFromText } from '../../../src/shared/references/reference-text'
import { call, openEngine } from '../../helpers/engine'
import { tempDir } from '../../helpers/temp-dir'

const png = (alpha: number) =>
  sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 200, g: 60, b: 60, alpha } } })
    .png()
    .toBuffer()

describe('jobs stored with references as plain strings', () => {
  it('still run, and their settings come back typed', async () => {
    const home = tempDir('proofsheet-legacy-refs-')
    const quiet = await openEngine(home, { runQueue: false })
    const photo = await call(quiet, 'refs.import', { name: 'mug.png', base64: (await png(1)).toString('base64') })
    const mask = await call(quiet, 'refs.import', { name: 'mask.png', base64: (await png(0)).toString('base64') })
    const queued = await call(quiet, 'jobs.generate', {
      provider: 'demo',
      prompt: 'the same mug on oak',
      sizes: [{ width: 256, height: 256 }],
      refs: [{ kind: 'stored', path: photo.path }],
      mask: { kind: 'stored', path: mask.path },
    })
    await quiet.close()

    // Written as the app wrote params before: references and mask as bare paths.
    const db = new BetterSqlite3(join(home, 'library.sqlite'))
    const row = db.prepare('SELECT params FROM jobs WHERE id = ?').get(queued.jobs[0]!.id) as { params: string }
    const old = { ...JSON.parse(row.params), refs: [photo.path], mask: mask.path }
    db.prepare('UPDATE jobs SET params = ? WHERE id = ?').run(JSON.stringify(old), queued.jobs[0]!.id)
    db.close()

    const engine = await openEngine(home)
    const [done] = await engine.waitForJobs(queued.jobs.map((j) => j.id))
    expect(done).toMatchObject({ status: 'succeeded' })
    const image = (await call(engine, 'gallery.list', {})).images[0]!
    const detail = await call(engine, 'gallery.detail', { id: image.id })
    expect(detail.job).toMatchObject({ references: 1, masked: true })
    expect(detail.settings.refs).toEqual([{ kind: 'stored', path: photo.path }])
    expect(detail.settings.mask).toEqual({ kind: 'stored', path: mask.path })
  })

  it('classifies old text the one way: http(s) links, content-hash files in refs/, other paths', () => {
    const hash = `${'ab'.repeat(32)}.png`
    expect(referenceFromText('https://cdn.example.com/mug.png')).toEqual({ kind: 'link', url: 'https://cdn.example.com/mug.png' })
    expect(referenceFromText('HTTP://cdn.example.com/mug.png')).toEqual({ kind: 'link', url: 'HTTP://cdn.example.com/mug.png' })
    expect(referenceFromText(`/home/me/library/refs/${hash}`)).toEqual({ kind: 'stored', path: `/home/me/library/refs/${hash}` })
    expect(referenceFromText(`C:\\Users\\me\\library\\refs\\${hash}`)).toEqual({ kind: 'stored', path: `C:\\Users\\me\\library\\refs\\${hash}` })
    expect(referenceFromText(`/home/me/shots/${hash}`)).toEqual({ kind: 'file', path: `/home/me/shots/${hash}` })
    expect(referenceFromText('/home/me/refs/mug.png')).toEqual({ kind: 'file', path: '/home/me/refs/mug.png' })
  })
})
